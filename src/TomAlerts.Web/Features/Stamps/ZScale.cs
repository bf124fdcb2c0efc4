namespace TomAlerts.Web.Features.Stamps;

/// <summary>
/// IRAF's zscale display range, as astropy's <c>ZScaleInterval</c> computes it: a line is fitted to a sorted sample
/// of the pixels with iterative rejection of outliers, and the range is the median ± the line's slope divided by the
/// contrast, clipped to the sample's extremes. It shows the sky noise and faint sources without letting one bright
/// star or a cosmic ray flatten the rest.
/// </summary>
public static class ZScale
{
    public const int Samples = 1000;
    public const double Contrast = 0.25;
    private const double MaxReject = 0.5;
    private const int MinPixels = 5;
    private const double RejectSigma = 2.5;
    private const int MaxIterations = 5;

    /// <summary>The (low, high) range of the finite values among <paramref name="values"/>; null when there are none.</summary>
    public static (double Low, double High)? Range(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return null;
        }
        var stride = Math.Max(1, finite.Count / Samples);
        var samples = new List<double>(Math.Min(Samples, finite.Count));
        for (var i = 0; i < finite.Count && samples.Count < Samples; i += stride)
        {
            samples.Add(finite[i]);
        }
        samples.Sort();
        var n = samples.Count;
        var low = samples[0];
        var high = samples[n - 1];
        var minPixels = Math.Max(MinPixels, (int)(n * MaxReject));
        var grow = Math.Max(1, (int)(n * 0.01));
        var bad = new bool[n];
        var good = n;
        var lastGood = n + 1;
        double slope = 0, intercept = 0;
        for (var iteration = 0; iteration < MaxIterations && good < lastGood && good >= minPixels; iteration++)
        {
            (slope, intercept) = FitLine(samples, bad);
            var residuals = new double[n];
            double sum = 0, sumSquares = 0;
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                residuals[i] = samples[i] - (intercept + slope * i);
                if (!bad[i])
                {
                    sum += residuals[i];
                    sumSquares += residuals[i] * residuals[i];
                    count++;
                }
            }
            var mean = sum / count;
            var threshold = RejectSigma * Math.Sqrt(Math.Max(0, sumSquares / count - mean * mean));
            for (var i = 0; i < n; i++)
            {
                if (residuals[i] < -threshold || residuals[i] > threshold)
                {
                    bad[i] = true;
                }
            }
            bad = Dilate(bad, grow);
            lastGood = good;
            good = bad.Count(b => !b);
        }
        if (good >= minPixels)
        {
            slope /= Contrast;
            var center = (n - 1) / 2;
            var median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
            low = Math.Max(low, median - (center - 1) * slope);
            high = Math.Min(high, median + (n - center) * slope);
        }
        return (low, high);
    }

    /// <summary>Least squares line through the samples not marked bad, x being the sample's index.</summary>
    private static (double Slope, double Intercept) FitLine(List<double> samples, bool[] bad)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        var count = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            if (bad[i])
            {
                continue;
            }
            sx += i;
            sy += samples[i];
            sxx += (double)i * i;
            sxy += i * samples[i];
            count++;
        }
        var denominator = count * sxx - sx * sx;
        if (count == 0 || denominator == 0)
        {
            return (0, count == 0 ? 0 : sy / count);
        }
        var slope = (count * sxy - sx * sy) / denominator;
        return (slope, (sy - slope * sx) / count);
    }

    /// <summary>Marks the neighbours of each bad sample too, as numpy's convolve(mode="same") with a box of <paramref name="width"/> does.</summary>
    private static bool[] Dilate(bool[] bad, int width)
    {
        var result = new bool[bad.Length];
        var before = width - 1 - (width - 1) / 2;
        var after = (width - 1) / 2;
        for (var i = 0; i < bad.Length; i++)
        {
            if (!bad[i])
            {
                continue;
            }
            for (var j = Math.Max(0, i - after); j <= Math.Min(bad.Length - 1, i + before); j++)
            {
                result[j] = true;
            }
        }
        return result;
    }
}
