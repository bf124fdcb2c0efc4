using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tns;

/// <summary>How a TNS <c>flux_unit</c> turns into an AB magnitude.</summary>
internal enum TnsUnitKind
{
    /// <summary>The value is a magnitude already (ABMag, or another system kept as given: VegaMag, STMag).</summary>
    Magnitude,

    /// <summary>A flux density f_ν, converted with m = −2.5 log10(f / 3631 Jy).</summary>
    FluxDensity,

    /// <summary>f_λ (erg/s/cm²/Å): needs the filter's effective wavelength, which TNS does not send, so it is left out.</summary>
    NeedsWavelength,

    /// <summary>Not a flux density (erg/s/cm², counts/s, neutrino events …): there is no magnitude to derive.</summary>
    Unsupported,
}

/// <summary>One TNS photometry unit. <paramref name="Id"/> is its position in the <c>units</c> list of TNS's get/values.</summary>
internal sealed record TnsUnit(int? Id, string Name, TnsUnitKind Kind, double JanskyPerUnit = 0, params string[] OtherNames);

/// <summary>
/// Reads TNS photometry rows into points. Magnitudes are kept as given (the system is kept in
/// <see cref="PhotometryPoint.FluxUnit"/>); flux densities become AB magnitudes, keeping the reported flux and unit.
/// </summary>
internal static class TnsPhotometry
{
    /// <summary>
    /// A flux below this signal-to-noise ratio (f / σf), or not positive, becomes a limit, never a magnitude:
    /// the limit is TNS's <c>limflux</c> when given, else the flux of <see cref="DefaultMinFluxSnr"/> σf (the one rule of
    /// <see cref="FluxMagnitudes"/>).
    /// Configurable as <c>BROKERS:TNS:min_flux_snr</c>.
    /// </summary>
    public const double DefaultMinFluxSnr = FluxMagnitudes.DefaultMinSignalToNoise;

    /// <summary>
    /// The units TNS lists (ids from its get/values <c>units</c> list, as Hermes caches it and TOM's TNS forms offer
    /// them; nJy = 34 from Lasair's reporting notes), and µJy, which TNS does not list, by name only. Units not here
    /// (neutrino events, photons, wavelengths …) are left out.
    /// </summary>
    public static readonly IReadOnlyList<TnsUnit> Units =
    [
        new(1, "ABMag", TnsUnitKind.Magnitude),
        new(2, "STMag", TnsUnitKind.Magnitude),
        new(3, "VegaMag", TnsUnitKind.Magnitude),
        new(4, "erg cm(-2) sec(-1)", TnsUnitKind.Unsupported),
        new(5, "erg cm(-2) sec(-1) Hz(-1)", TnsUnitKind.FluxDensity, 1e23),
        new(6, "erg cm(-2) sec(-1) Ang(-1)", TnsUnitKind.NeedsWavelength),
        new(7, "counts sec(-1)", TnsUnitKind.Unsupported),
        new(8, "Jy", TnsUnitKind.FluxDensity, 1),
        new(9, "mJy", TnsUnitKind.FluxDensity, 1e-3),
        new(34, "nJy", TnsUnitKind.FluxDensity, 1e-9),
        new(null, "µJy", TnsUnitKind.FluxDensity, 1e-6, "uJy", "μJy", "microJy"),
    ];

    /// <summary>The unit of a row: by name when TNS sends one (ids are positions in a list that grows), else by id.</summary>
    public static (TnsUnit? Unit, string? Name) UnitOf(JsonObject row)
    {
        var node = row["flux_unit"];
        var name = node is JsonObject o ? JsonRead.String(o["name"])?.Trim() : JsonRead.String(node)?.Trim();
        var id = node is JsonObject withId ? JsonRead.Long(withId["id"]) : null;
        if (name is not null)
        {
            var known = Units.FirstOrDefault(u => u.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                                                  || u.OtherNames.Contains(name, StringComparer.OrdinalIgnoreCase));
            // Another magnitude system TNS may add ("AB mag" …) is still a magnitude, kept as given.
            return (known ?? (name.Contains("mag", StringComparison.OrdinalIgnoreCase) ? new TnsUnit(null, name, TnsUnitKind.Magnitude) : null), name);
        }
        var byId = id is null ? null : Units.FirstOrDefault(u => u.Id == id);
        return (byId, byId?.Name);
    }

    /// <summary>
    /// A row as a point: a magnitude kept as given, or a flux density through <see cref="FluxMagnitudes"/> (a magnitude,
    /// or a limit below <paramref name="minSnr"/>); null when it has neither or its unit cannot be converted.
    /// </summary>
    public static PhotometryPoint? Point(JsonObject row, DateTime time, string band, double minSnr)
    {
        var (unit, unitName) = UnitOf(row);
        var value = JsonRead.Double(row["flux"]);
        var error = JsonRead.Double(row["fluxerr"]);
        var limit = JsonRead.Double(row["limflux"]);
        switch (unit?.Kind)
        {
            case TnsUnitKind.Magnitude when value is not null || limit is not null:
                return new PhotometryPoint
                {
                    Timestamp = time, Bandpass = band, Magnitude = value, MagnitudeError = value is null ? null : error,
                    Limit = value is null ? limit : null, FluxUnit = unitName,
                    Kind = value is null ? PhotometryKind.Limit : PhotometryKind.Detection,
                };
            case TnsUnitKind.FluxDensity:
                return FluxMagnitudes.FromFlux(time, band, value, error, unitName!, unit.JanskyPerUnit * 1e9, limitFlux: limit, minSignalToNoise: minSnr);
            default:
                return null;
        }
    }

    /// <summary>Light-curve points of an object, and the names of units whose points had to be left out.</summary>
    public static (IReadOnlyList<PhotometryPoint> Points, IReadOnlyList<string> LeftOutUnits) Read(JsonObject obj, double minSnr)
    {
        var points = new List<PhotometryPoint>();
        var leftOut = new List<string>();
        foreach (var row in JsonRead.Objects(obj["photometry"]))
        {
            if (Time(row) is not { } time || Named(row["filters"]) is not { } band)
            {
                continue;
            }
            if (Point(row, time, band, minSnr) is not { } point)
            {
                if (UnitOf(row) is (null or { Kind: TnsUnitKind.NeedsWavelength or TnsUnitKind.Unsupported }, { } unit))
                {
                    leftOut.Add(unit);
                }
                continue;
            }
            points.Add(point with { Telescope = Named(row["telescope"]) });
        }
        return (points, leftOut);
    }

    private static DateTime? Time(JsonObject row) =>
        JsonRead.Double(row["jd"]) is { } jd ? AstroTime.FromJd(jd)
        : JsonRead.String(row["obsdate"]) is { } obsdate ? TnsForm.ParseDate(obsdate)
        : null;

    private static string? Named(JsonNode? node) => node is JsonObject o ? JsonRead.String(o["name"]) : null;
}
