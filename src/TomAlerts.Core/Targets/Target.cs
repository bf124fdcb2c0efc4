using TomAlerts.Brokers;
using TomAlerts.Sky;

namespace TomAlerts.Targets;

public enum TargetType
{
    Sidereal,
    NonSidereal,
}

public class Target
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary><see cref="TargetNames.Normalize"/> of <see cref="Name"/>, indexed for identity matching.</summary>
    public string NormalizedName { get; set; } = "";
    public TargetType Type { get; set; } = TargetType.Sidereal;
    public double? Ra { get; set; }
    public double? Dec { get; set; }
    /// <summary>Declination zone of the spatial index (<see cref="SkyZones"/>); null without coordinates.</summary>
    public int? DecZone { get; set; }
    public double? Epoch { get; set; }
    public double? GalacticLng { get; set; }
    public double? GalacticLat { get; set; }
    public DateTime Created { get; set; }
    public DateTime Modified { get; set; }

    // The list page's columns, kept on the target (TargetStats) so sorting a million targets reads one index.
    /// <summary>The magnitude of the latest detection, in <see cref="LastBand"/>; null without one.</summary>
    public double? LastMagnitude { get; set; }
    public string? LastBand { get; set; }
    /// <summary>When the latest detection was taken.</summary>
    public DateTime? LastDetection { get; set; }
    /// <summary>The class shown for the target, and who gave it (a broker, or TNS, whose type beats a broker's class).</summary>
    public string? ClassName { get; set; }
    public string? ClassSource { get; set; }
    public int PhotometryCount { get; set; }
    /// <summary>The orbital elements of a non-sidereal target (TOM's fields); null for a sidereal one.</summary>
    public OrbitalElements? Elements { get; set; }

    public List<TargetName> Aliases { get; set; } = [];
    public List<TargetExtra> Extras { get; set; } = [];
    public List<Photometry> Photometry { get; set; } = [];
    public List<TargetProvenance> Provenance { get; set; } = [];

    public void SetPosition(double? ra, double? dec)
    {
        Ra = ra;
        Dec = dec;
        DecZone = dec is { } d ? SkyZones.ZoneOf(d) : null;
        if (ra is { } r && dec is { } de)
        {
            (GalacticLng, GalacticLat) = Galactic.FromEquatorial(r, de);
        }
    }
}

public class TargetName
{
    public int Id { get; set; }
    public int TargetId { get; set; }
    public required string Name { get; set; }
    public string NormalizedName { get; set; } = "";
    /// <summary>The survey the name belongs to (<see cref="SurveyIds.SurveyOf"/>): "ZTF", "LSST", "TNS" …; null when the name does not tell.</summary>
    public string? Survey { get; set; }
    public DateTime Created { get; set; }
}

public class TargetExtra
{
    public int Id { get; set; }
    public int TargetId { get; set; }
    public required string Key { get; set; }
    public string Value { get; set; } = "";
    /// <summary>
    /// Who set the value: a broker's name, or <see cref="UserSourcePrefix"/> + a user id for a value entered by hand;
    /// empty for values stored before sources were kept. A later value from the same source replaces the old one.
    /// </summary>
    public string Source { get; set; } = "";
    public DateTime? SetAt { get; set; }

    public const string UserSourcePrefix = "user:";

    public static string UserSource(string userId) => UserSourcePrefix + userId;
}

/// <summary>
/// The orbital elements TOM keeps for a non-sidereal target, by scheme (<see cref="OrbitalSchemes"/>): angles in degrees,
/// distances in AU, epochs as MJD.
/// </summary>
public class OrbitalElements
{
    public string Scheme { get; set; } = OrbitalSchemes.MinorPlanet;
    public double? EpochOfElements { get; set; }
    public double? MeanAnomaly { get; set; }
    public double? ArgOfPerihelion { get; set; }
    public double? Eccentricity { get; set; }
    public double? LongAscendingNode { get; set; }
    public double? Inclination { get; set; }
    /// <summary>Mean distance (semimajor axis), AU.</summary>
    public double? SemimajorAxis { get; set; }
    /// <summary>Degrees per day (JPL major planets).</summary>
    public double? MeanDailyMotion { get; set; }
    public double? PerihelionDistance { get; set; }
    public double? EpochOfPerihelion { get; set; }
}

/// <summary>TOM's orbital element schemes and the elements each needs.</summary>
public static class OrbitalSchemes
{
    public const string MinorPlanet = "MPC_MINOR_PLANET";
    public const string Comet = "MPC_COMET";
    public const string MajorPlanet = "JPL_MAJOR_PLANET";

    public static IReadOnlyList<string> All { get; } = [MinorPlanet, Comet, MajorPlanet];

    private static readonly string[] Angles = [nameof(OrbitalElements.EpochOfElements), nameof(OrbitalElements.Inclination),
        nameof(OrbitalElements.LongAscendingNode), nameof(OrbitalElements.ArgOfPerihelion), nameof(OrbitalElements.Eccentricity)];

    /// <summary>The <see cref="OrbitalElements"/> properties a scheme needs (TOM's required fields per scheme).</summary>
    public static IReadOnlyList<string> Required(string scheme) => scheme switch
    {
        Comet => [.. Angles, nameof(OrbitalElements.PerihelionDistance), nameof(OrbitalElements.EpochOfPerihelion)],
        MajorPlanet => [.. Angles, nameof(OrbitalElements.MeanAnomaly), nameof(OrbitalElements.SemimajorAxis), nameof(OrbitalElements.MeanDailyMotion)],
        _ => [.. Angles, nameof(OrbitalElements.MeanAnomaly), nameof(OrbitalElements.SemimajorAxis)],
    };
}

/// <summary>Which run, alert, broker and user created or updated a target.</summary>
public class TargetProvenance
{
    public long Id { get; set; }
    public int TargetId { get; set; }
    public long? QueryRunId { get; set; }
    public required string Broker { get; set; }
    public required string AlertId { get; set; }
    public string? UserId { get; set; }
    /// <summary>"created", "matched", "edited", "renamed" or "merged"; "submitted" or "submit failed" for a submission to the broker (<see cref="AlertId"/> is then its reference).</summary>
    public required string Action { get; set; }
    public DateTime At { get; set; }
    /// <summary>What the broker answered a submission, in plain words (the name it gave, or its error); null otherwise.</summary>
    public string? Note { get; set; }
}

/// <summary>
/// A light-curve point; unique on target, source, band and time, so re-ingesting adds nothing. One survey measurement
/// (<see cref="Survey"/>, <see cref="SourceId"/>) reported by two brokers is one row: the first broker is
/// <see cref="Source"/>, the others are listed in <see cref="OtherSources"/>.
/// </summary>
public class Photometry
{
    public long Id { get; set; }
    public int TargetId { get; set; }
    /// <summary>The broker the point came from (TOM's source_name).</summary>
    public required string Source { get; set; }
    /// <summary>The broker's id of the object (TOM's source_location).</summary>
    public required string SourceLocation { get; set; }
    public DateTime Timestamp { get; set; }
    public required string Bandpass { get; set; }
    public double? Magnitude { get; set; }
    public double? MagnitudeError { get; set; }
    public double? Limit { get; set; }
    public string? Telescope { get; set; }
    /// <summary>The flux as the broker reported it, in <see cref="FluxUnit"/>; null for a point reported as a magnitude.</summary>
    public double? Flux { get; set; }
    public double? FluxError { get; set; }
    /// <summary>The unit the broker reported the point in ("mJy", "nJy", …, or a magnitude system such as "VegaMag").</summary>
    public string? FluxUnit { get; set; }
    /// <summary>Detection, forced photometry or limit. Only a detection is drawn and listed as one (a forced point may have a magnitude too).</summary>
    public PhotometryKind Kind { get; set; } = PhotometryKind.Detection;
    /// <summary>The survey that took the point ("ZTF", "LSST", "Gaia" …); null when the broker did not say (and for rows stored before).</summary>
    public string? Survey { get; set; }
    /// <summary>The survey's own id of the measurement (ZTF candid, LSST diaSourceId), as text; null when unknown.</summary>
    public string? SourceId { get; set; }
    /// <summary>
    /// The other brokers that reported the same measurement (same <see cref="Survey"/> and <see cref="SourceId"/>), comma
    /// separated in the order they did; null when only <see cref="Source"/> did. The smallest way to say "ALeRCE, Lasair"
    /// without a second row or a join table.
    /// </summary>
    public string? OtherSources { get; set; }

    /// <summary>Every broker that reported the point, the first one first.</summary>
    public IReadOnlyList<string> Sources =>
        OtherSources is null ? [Source] : [Source, .. OtherSources.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
