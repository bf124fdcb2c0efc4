using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;
using static TomAlerts.Web.Features.Exports.ColumnType;

namespace TomAlerts.Web.Features.Exports;

/// <summary>The columns of each export: a run's alerts, the target list and a target's photometry.</summary>
public static class ExportTables
{
    private static readonly ExportColumn<RunAlert>[] AlertColumns =
    [
        new("alertId", Text, a => a.AlertId, Ucd: "meta.id;meta.main", Description: "The broker's id of the alert or object"),
        new("name", Text, a => a.Name, Ucd: "meta.id"),
        new("ra", Real, a => a.Ra, "deg", "pos.eq.ra;meta.main"),
        new("dec", Real, a => a.Dec, "deg", "pos.eq.dec;meta.main"),
        new("mag", Real, a => a.Mag, "mag", "phot.mag"),
        new("score", Real, a => a.Score, Description: "The broker's score; what it means depends on the broker"),
        new("timestamp", Timestamp, a => a.Timestamp, Ucd: "time.epoch", Description: "UTC"),
        new("url", Text, a => a.Url, Ucd: "meta.ref.url"),
        new("classification", UnicodeText, a => a.Classification, Ucd: "src.class"),
        new("isNew", Flag, a => a.IsNew, Ucd: "meta.code", Description: "No earlier run of the same query returned this alert"),
    ];

    private static readonly ExportColumn<TargetRow>[] TargetColumns =
    [
        new("id", Integer, r => r.Target.Id, Ucd: "meta.id", Description: "TomAlerts target id"),
        new("name", Text, r => r.Target.Name, Ucd: "meta.id;meta.main"),
        new("type", Text, r => r.Target.Type == TargetType.Sidereal ? "sidereal" : "non-sidereal", Ucd: "meta.code"),
        new("ra", Real, r => r.Target.Ra, "deg", "pos.eq.ra;meta.main"),
        new("dec", Real, r => r.Target.Dec, "deg", "pos.eq.dec;meta.main"),
        new("epoch", Real, r => r.Target.Epoch, "yr", "time.equinox"),
        new("galacticLng", Real, r => r.Target.GalacticLng, "deg", "pos.galactic.lon"),
        new("galacticLat", Real, r => r.Target.GalacticLat, "deg", "pos.galactic.lat"),
        new("separationArcsec", Real, r => r.SeparationArcsec, "arcsec", "pos.angDistance", "Distance from the cone search's centre; empty without a cone search"),
        new("created", Timestamp, r => r.Target.Created, Ucd: "time.creation", Description: "UTC"),
    ];

    private static readonly ExportColumn<Photometry>[] PhotometryColumns =
    [
        new("timestamp", Timestamp, p => p.Timestamp, Ucd: "time.epoch", Description: "UTC"),
        new("mjd", Real, p => AstroTime.ToMjd(p.Timestamp), "d", "time.epoch", "Modified Julian Date"),
        new("bandpass", Text, p => p.Bandpass, Ucd: "instr.filter"),
        new("magnitude", Real, p => p.Magnitude, "mag", "phot.mag", "Empty for a non-detection"),
        new("magnitudeError", Real, p => p.MagnitudeError, "mag", "stat.error;phot.mag"),
        new("limit", Real, p => p.Limit, "mag", "phot.mag;stat.max", "Limiting magnitude of a non-detection"),
        new("flux", Real, p => p.Flux, Ucd: "phot.flux", Description: "The flux as reported, in fluxUnit; empty for a point reported as a magnitude"),
        new("fluxError", Real, p => p.FluxError, Ucd: "stat.error;phot.flux", Description: "In fluxUnit"),
        new("fluxUnit", Text, p => p.FluxUnit, Ucd: "meta.unit", Description: "The unit the point was reported in (e.g. mJy, or a magnitude system such as VegaMag)"),
        new("telescope", UnicodeText, p => p.Telescope, Ucd: "instr.tel"),
        new("source", Text, p => p.Source, Ucd: "meta.ref", Description: "The broker the point came from"),
        new("sourceLocation", Text, p => p.SourceLocation, Ucd: "meta.id", Description: "The broker's id of the object"),
        new("kind", Text, p => PhotometryKinds.Name(p.Kind), Ucd: "meta.code", Description: "detection, forced (forced photometry) or limit (a non-detection)"),
        new("survey", Text, p => p.Survey, Ucd: "meta.id;instr.setup", Description: "The survey that took the point (ZTF, LSST, Gaia ...); empty when unknown"),
        new("sourceId", Text, p => p.SourceId, Ucd: "meta.id", Description: "The survey's id of the measurement (ZTF candid, LSST diaSourceId)"),
        new("sources", Text, p => string.Join(", ", p.Sources), Ucd: "meta.ref", Description: "Every broker that reported the point, the first one first"),
    ];

    public static ExportTable<RunAlert> RunAlerts(QueryRun run) =>
        new($"run_{run.Id}_alerts", $"Alerts of run {run.Id} of the {run.Query?.Broker} query \"{run.Query?.Name}\"", AlertColumns);

    public static ExportTable<TargetRow> Targets { get; } = new("targets", "TomAlerts targets", TargetColumns);

    public static ExportTable<Photometry> Photometry(Target target) =>
        new($"target_{target.Id}_photometry", $"Photometry of {target.Name}", PhotometryColumns);
}
