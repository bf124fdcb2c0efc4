using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Fink;

/// <summary>
/// Fink's reply rows (pandas records: one flat object per alert, columns by family, <c>i:</c>/<c>d:</c>/<c>v:</c> for
/// ZTF, <c>r:</c>/<c>f:</c> for LSST) and the alert a run stores: one per object, the newest row's values plus how many
/// alerts of the object the reply held. Ids are read as exact text, never through <c>double</c>.
/// </summary>
internal static class FinkRows
{
    /// <summary>How many of the reply's rows (alerts) belong to the object.</summary>
    public const string AlertCount = "num_alerts";

    /// <summary>The class (ZTF) or tag (LSST) a class search asked for: what Fink classified these alerts as.</summary>
    public const string SearchedClass = "searched_class";

    /// <summary>A streamed alert's own light curve (ZTF: <c>i:</c> rows of its prv_candidates and candidate; LSST: <c>r:</c> diaSource rows).</summary>
    public const string StreamLightCurve = "stream_lightcurve";

    /// <summary>A streamed LSST alert's forced photometry (<c>r:</c> rows of its prvDiaForcedSources).</summary>
    public const string StreamForced = "stream_forced";

    /// <summary>The UTC times (ISO 8601) of the object's oldest and newest rows in the reply.</summary>
    public const string FirstRowTime = "first_row_time";
    public const string LastRowTime = "last_row_time";

    /// <summary>
    /// The module scores a row may carry, each a probability of one class: ZTF's early SN Ia random forest, SuperNNova
    /// (SN Ia vs non-Ia, SN vs all), microlensing and kilonova classifiers; LSST's early SN Ia and SuperNNova scores.
    /// </summary>
    private static readonly (string Column, string ClassName)[] ModuleScores =
    [
        ("d:rf_snia_vs_nonia", "SN Ia"), ("d:snn_snia_vs_nonia", "SN Ia"), ("d:snn_sn_vs_all", "SN"), ("d:mulens", "Microlensing"),
        ("d:rf_kn_vs_nonkn", "Kilonova"), ("f:clf_earlySNIa_score", "Early SN Ia"), ("f:clf_snnSnVsOthers_score", "SN"),
    ];

    public const string ZtfId = "i:objectId";
    public const string LsstId = "r:diaObjectId";

    /// <summary>The ZTF score column: the early SN Ia classifier's (random forest) probability.</summary>
    public const string ZtfScore = "d:rf_snia_vs_nonia";

    /// <summary>The LSST score column: the early SN Ia classifier's score.</summary>
    public const string LsstScore = "f:clf_earlySNIa_score";

    private const string FluxUnit = "nJy";

    private static readonly Dictionary<long, string> ZtfBands = new() { [1] = "g", [2] = "r", [3] = "i" };

    public static bool IsLsst(JsonObject row) => row.ContainsKey(LsstId);

    /// <summary>An all-digit id is an LSST diaObjectId; ZTF ids start with "ZTF" (ADR-006).</summary>
    public static bool IsLsstId(string id) => id.Length > 0 && id.All(char.IsAsciiDigit);

    public static string? Id(JsonObject row) => IsLsst(row) ? ExactId(row[LsstId]) : JsonRead.String(row[ZtfId]);

    /// <summary>
    /// An int64 id as the reply wrote it. A column that went through float comes as a float literal
    /// ("1.6929843321661034e+17"): its integer is taken through <see cref="decimal"/>, exact for the text sent.
    /// </summary>
    public static string? ExactId(JsonNode? node)
    {
        var text = JsonRead.String(node);
        if (text is null)
        {
            return null;
        }
        if (text.TrimStart('-').All(char.IsAsciiDigit))
        {
            return text;
        }
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number)
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : null;
    }

    public static (double? Ra, double? Dec) Position(JsonObject row) => IsLsst(row)
        ? (JsonRead.Double(row["r:ra"]), JsonRead.Double(row["r:dec"]))
        : (JsonRead.Double(row["i:ra"]), JsonRead.Double(row["i:dec"]));

    /// <summary>UTC: ZTF's <c>i:jd</c>; LSST's <c>r:midpointMjdTai</c>, or an object row's last diaSource (both TAI).</summary>
    public static DateTime? Time(JsonObject row)
    {
        if (!IsLsst(row))
        {
            return JsonRead.Double(row["i:jd"]) is { } jd ? AstroTime.FromJd(jd) : null;
        }
        return (JsonRead.Double(row["r:midpointMjdTai"]) ?? JsonRead.Double(row["r:lastDiaSourceMjdTai"])) is { } mjd
            ? AstroTime.FromMjdTai(mjd)
            : null;
    }

    public static double? Score(JsonObject row) => JsonRead.Double(row[IsLsst(row) ? LsstScore : ZtfScore]);

    /// <summary>
    /// One alert per object, in the reply's order of objects: the newest row, its score the newest one given (a row's
    /// classifier may not have run), with <see cref="AlertCount"/> and <see cref="SearchedClass"/>.
    /// </summary>
    public static List<JsonObject> ByObject(IEnumerable<JsonObject> rows, string? searchedClass)
    {
        var alerts = new List<JsonObject>();
        foreach (var group in rows.Select(r => (Row: r, Id: Id(r))).Where(r => r.Id is not null).GroupBy(r => r.Id!, StringComparer.Ordinal))
        {
            var newestFirst = group.Select(r => r.Row).OrderByDescending(r => Time(r) ?? DateTime.MinValue).ToList();
            var alert = newestFirst[0].DeepClone().AsObject();
            var scoreKey = IsLsst(alert) ? LsstScore : ZtfScore;
            if (Score(alert) is null && newestFirst.FirstOrDefault(r => Score(r) is not null) is { } scored)
            {
                alert[scoreKey] = scored[scoreKey]!.DeepClone();
            }
            alert[AlertCount] = newestFirst.Count;
            var times = newestFirst.Select(Time).OfType<DateTime>().ToList();
            if (times.Count > 0)
            {
                alert[FirstRowTime] = times.Min().ToString("O", CultureInfo.InvariantCulture);
                alert[LastRowTime] = times.Max().ToString("O", CultureInfo.InvariantCulture);
            }
            if (searchedClass is not null)
            {
                alert[SearchedClass] = searchedClass;
            }
            alerts.Add(alert);
        }
        return alerts;
    }

    /// <summary>
    /// Fink's class: <c>v:classification</c> (sent with all columns), else the class or tag searched, else the
    /// cross-match Fink classifies by (<c>d:cdsxmatch</c>, SIMBAD; LSST <c>f:main_label_crossmatch</c>).
    /// </summary>
    public static string? Classification(JsonObject row)
    {
        var match = JsonRead.String(row[IsLsst(row) ? "f:main_label_crossmatch" : "d:cdsxmatch"]);
        return JsonRead.String(row["v:classification"])
               ?? JsonRead.String(row[SearchedClass])
               ?? (match is "Unknown" or "Fail" or "Fail 504" ? null : match);
    }

    /// <summary>
    /// A ZTF light curve from <c>objects</c> with <c>withupperlim</c>: valid rows are detections (magpsf, sigmapsf,
    /// candid); the limit tables' rows (<c>d:tag</c> upperlim, badquality; <c>i:candid</c> -1, numbers as strings) are
    /// limits at their diffmaglim.
    /// </summary>
    public static IEnumerable<PhotometryPoint> ZtfPoints(IEnumerable<JsonObject> rows)
    {
        foreach (var row in rows)
        {
            if (JsonRead.Double(row["i:jd"]) is not { } jd || JsonRead.Long(row["i:fid"]) is not { } fid || !ZtfBands.TryGetValue(fid, out var band))
            {
                continue;
            }
            var candid = ExactId(row["i:candid"]);
            var tag = JsonRead.String(row["d:tag"]);
            var detection = tag is null or "valid" && candid is not (null or "-1") && JsonRead.Double(row["i:magpsf"]) is not null;
            var point = new PhotometryPoint { Timestamp = AstroTime.FromJd(jd), Bandpass = band, Telescope = "ZTF", Survey = "ZTF", FluxUnit = "ABMag" };
            if (detection)
            {
                yield return point with
                {
                    Magnitude = JsonRead.Double(row["i:magpsf"]), MagnitudeError = JsonRead.Double(row["i:sigmapsf"]),
                    Kind = PhotometryKind.Detection, SourceId = candid,
                };
            }
            else if (JsonRead.Double(row["i:diffmaglim"]) is { } limit)
            {
                yield return point with { Limit = limit, Kind = PhotometryKind.Limit };
            }
        }
    }

    /// <summary>
    /// LSST diaSources (<paramref name="kind"/> Detection) or forced sources (Forced): psfFlux in nJy, signed by
    /// <c>r:isNegative</c>, through the one flux rule; times midpointMjdTai (TAI) in UTC.
    /// </summary>
    public static IEnumerable<PhotometryPoint> LsstPoints(IEnumerable<JsonObject> rows, PhotometryKind kind)
    {
        var idKey = kind == PhotometryKind.Forced ? "r:diaForcedSourceId" : "r:diaSourceId";
        foreach (var row in rows)
        {
            if (JsonRead.Double(row["r:midpointMjdTai"]) is not { } mjd || JsonRead.String(row["r:band"]) is not { } band)
            {
                continue;
            }
            var flux = JsonRead.Double(row["r:psfFlux"]);
            if (flux is { } f && JsonRead.Bool(row["r:isNegative"]) == true)
            {
                flux = -Math.Abs(f);
            }
            if (FluxMagnitudes.FromFlux(AstroTime.FromMjdTai(mjd), band, flux, JsonRead.Double(row["r:psfFluxErr"]), FluxUnit, kind) is { } point)
            {
                yield return point with { Survey = "LSST", Telescope = "LSST", SourceId = ExactId(row[idKey]) };
            }
        }
    }

    /// <summary>The row's band: ZTF <c>i:fid</c> 1/2/3 as g/r/i, LSST <c>r:band</c>.</summary>
    public static string? Band(JsonObject row) =>
        IsLsst(row) ? JsonRead.String(row["r:band"])
        : JsonRead.Long(row["i:fid"]) is { } fid ? ZtfBands.GetValueOrDefault(fid) ?? $"fid{fid}" : null;

    /// <summary>
    /// The object's first and last detection: ZTF's <c>i:jdstarthist</c> (the start of its detection history), LSST's
    /// first and last diaSource (MJD TAI); else the oldest and newest of the object's rows in the reply.
    /// </summary>
    public static (DateTime? First, DateTime? Last) DetectionSpan(JsonObject row)
    {
        DateTime? RowTime(string key) =>
            JsonRead.String(row[key]) is { } text
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                ? t
                : null;
        DateTime? Tai(string key) => JsonRead.Double(row[key]) is > 0 and var mjd ? AstroTime.FromMjdTai(mjd) : null;
        if (IsLsst(row))
        {
            return (Tai("r:firstDiaSourceMjdTai") ?? RowTime(FirstRowTime) ?? Time(row),
                Tai("r:lastDiaSourceMjdTai") ?? RowTime(LastRowTime) ?? Time(row));
        }
        var start = JsonRead.Double(row["i:jdstarthist"]) is > 0 and var jd ? AstroTime.FromJd(jd) : (DateTime?)null;
        return (start ?? RowTime(FirstRowTime) ?? Time(row), RowTime(LastRowTime) ?? Time(row));
    }

    /// <summary>ZTF's <c>i:ndethist</c>, LSST's <c>r:nDiaSources</c>, else how many of the object's alerts the reply held.</summary>
    public static int? DetectionCount(JsonObject row)
    {
        var count = JsonRead.Long(row[IsLsst(row) ? "r:nDiaSources" : "i:ndethist"]) ?? JsonRead.Long(row[AlertCount]);
        return count is >= 0 and <= int.MaxValue ? (int)count : null;
    }

    /// <summary>
    /// Fink's class (<see cref="Classification"/>, no probability; CATS's <c>f:clf_cats_class</c> for LSST) and each
    /// module score the row carries, the module its classifier (its column without the family), the row's time.
    /// </summary>
    public static IReadOnlyList<AlertClassification> Classifications(string broker, JsonObject row)
    {
        var time = Time(row);
        var version = JsonRead.String(row["f:fink_broker_version"]);
        var classes = new List<AlertClassification>();
        if (Classification(row) is { } className)
        {
            var source = JsonRead.String(row["v:classification"]) is not null ? "classification"
                : JsonRead.String(row[SearchedClass]) is not null ? (IsLsst(row) ? "tag" : "class")
                : IsLsst(row) ? "main_label_crossmatch" : "cdsxmatch";
            classes.Add(new AlertClassification(broker, source, version, className, null, time));
        }
        if (JsonRead.String(row["f:clf_cats_class"]) is { } cats)
        {
            classes.Add(new AlertClassification(broker, "clf_cats_class", version, cats, null, time));
        }
        foreach (var (column, name) in ModuleScores)
        {
            if (JsonRead.Double(row[column]) is { } p and >= 0 and <= 1)
            {
                classes.Add(new AlertClassification(broker, column[2..], version, name, p, time));
            }
        }
        return classes;
    }

    /// <summary>An LSST row's magnitude from its psfFlux, when the flux rule gives one.</summary>
    public static double? LsstMagnitude(JsonObject row) =>
        FluxMagnitudes.FromFlux(DateTime.MinValue, "",
            JsonRead.Double(row["r:psfFlux"]) is { } f && JsonRead.Bool(row["r:isNegative"]) == true ? -Math.Abs(f) : JsonRead.Double(row["r:psfFlux"]),
            JsonRead.Double(row["r:psfFluxErr"]), FluxUnit)?.Magnitude;
}
