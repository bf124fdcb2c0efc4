using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Features.Targets;
using static TomAlerts.Web.Features.Exports.ColumnType;

namespace TomAlerts.Web.Features.Exports;

/// <summary>A run alert as exported, with the triage decision on its object.</summary>
public sealed record ExportedAlert(RunAlert Alert, DecisionView? Decision);

/// <summary>The columns of each export: a run's alerts, the target list and a target's photometry.</summary>
public static class ExportTables
{
    private static readonly ExportColumn<ExportedAlert>[] AlertColumns =
    [
        new("alertId", Text, a => a.Alert.AlertId, Ucd: "meta.id;meta.main", Description: "The broker's id of the alert or object"),
        new("name", Text, a => a.Alert.Name, Ucd: "meta.id"),
        new("ra", Real, a => a.Alert.Ra, "deg", "pos.eq.ra;meta.main"),
        new("dec", Real, a => a.Alert.Dec, "deg", "pos.eq.dec;meta.main"),
        new("mag", Real, a => a.Alert.Mag, "mag", "phot.mag"),
        new("score", Real, a => a.Alert.Score, Description: "The broker's score; what it means depends on the broker"),
        new("timestamp", Timestamp, a => a.Alert.Timestamp, Ucd: "time.epoch", Description: "UTC"),
        new("url", Text, a => a.Alert.Url, Ucd: "meta.ref.url"),
        new("classification", UnicodeText, a => a.Alert.Classification, Ucd: "src.class"),
        new("isNew", Flag, a => a.Alert.IsNew, Ucd: "meta.code", Description: "No earlier run of the same query returned this alert"),
        new("decision", Text, a => a.Decision?.Name, Ucd: "meta.code", Description: "The triage decision on the object: interesting, rejected or empty"),
        new("decided_by", UnicodeText, a => a.Decision?.DecidedBy, Ucd: "meta.id", Description: "Who decided (their e-mail)"),
        new("decided_at", Timestamp, a => a.Decision?.DecidedAt, Ucd: "time.epoch", Description: "When the decision was made, UTC"),
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
        new("lastMagnitude", Real, r => r.Target.LastMagnitude, "mag", "phot.mag", "The magnitude of the latest detection"),
        new("lastBand", Text, r => r.Target.LastBand, Ucd: "instr.bandpass"),
        new("lastDetection", Timestamp, r => r.Target.LastDetection, Ucd: "time.epoch", Description: "When the latest detection was taken, UTC"),
        new("className", UnicodeText, r => r.Target.ClassName, Ucd: "src.class"),
        new("classSource", Text, r => r.Target.ClassSource, Ucd: "meta.ref", Description: "The broker that gave the class"),
        new("photometryCount", Integer, r => r.Target.PhotometryCount, Ucd: "meta.number", Description: "Number of light-curve points"),
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

    public static ExportTable<ExportedAlert> RunAlerts(QueryRun run) =>
        new($"run_{run.Id}_alerts", $"Alerts of run {run.Id} of the {run.Query?.Broker} query \"{run.Query?.Name}\"", AlertColumns);

    public static ExportTable<TargetRow> Targets { get; } = new("targets", "TomAlerts targets", TargetColumns);

    public static ExportTable<Photometry> Photometry(Target target) =>
        new($"target_{target.Id}_photometry", $"Photometry of {target.Name}", PhotometryColumns);
}
