using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Antares;

/// <summary>
/// Reads ANTARES's JSON:API resources: a locus (<c>locus_listing</c> from a search, <c>locus</c> from <c>loci/&lt;id&gt;</c>,
/// with <c>catalog_matches</c> added by the broker), its alerts and catalog entries. A locus may carry ZTF and LSST ids
/// at once (<c>properties.survey.ztf.id[]</c>, <c>.lsst.dia_object_id[]</c>, the latter strings above 2^53).
/// </summary>
internal static class AntaresLocus
{
    public const string CatalogMatchesKey = "catalog_matches";

    /// <summary>A streamed locus's alerts (the API's alert resources), which make its light curve without a call.</summary>
    public const string StreamAlertsKey = "stream_alerts";
    private const string LocusPageUrl = "https://antares.noirlab.edu/loci/";
    private const string LsstFluxUnit = "nJy";

    /// <summary>ZTF's <c>ant_passband</c> (R for fid 2) and <c>ztf_fid</c> as ZTF names its bands.</summary>
    private static readonly Dictionary<string, string> ZtfBands = new(StringComparer.Ordinal) { ["g"] = "g", ["R"] = "r", ["r"] = "r", ["i"] = "i" };
    private static readonly Dictionary<long, string> ZtfFids = new() { [1] = "g", [2] = "r", [3] = "i" };

    public static string? Id(JsonObject locus) => JsonRead.String(locus["id"]);

    public static JsonObject? Attributes(JsonObject locus) => locus["attributes"] as JsonObject;

    public static JsonObject? Properties(JsonObject locus) => Attributes(locus)?["properties"] as JsonObject;

    public static string PageUrl(string id) => LocusPageUrl + Uri.EscapeDataString(id);

    /// <summary>The ZTF objectIds of the locus: <c>ztf_object_id</c> and every <c>survey.ztf.id</c>.</summary>
    public static List<string> ZtfIds(JsonObject locus)
    {
        var properties = Properties(locus);
        return new[] { JsonRead.String(properties?["ztf_object_id"]) }
            .Concat((properties?["survey"]?["ztf"]?["id"] as JsonArray ?? []).Select(JsonRead.String))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The LSST diaObjectIds of the locus as exact text (strings in <c>survey.lsst.dia_object_id</c>).</summary>
    public static List<string> LsstIds(JsonObject locus) =>
        (Properties(locus)?["survey"]?["lsst"]?["dia_object_id"] as JsonArray ?? [])
            .Select(IdText).OfType<string>().Where(id => id != "0").Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The survey's name of the object (ZTF objectId, else LSST diaObjectId), else the locus id.</summary>
    public static string Name(JsonObject locus) => ZtfIds(locus).Concat(LsstIds(locus)).FirstOrDefault() ?? Id(locus) ?? "";

    public static List<string> Tags(JsonObject locus) =>
        (Attributes(locus)?["tags"] as JsonArray ?? []).Select(JsonRead.String).OfType<string>().ToList();

    public static GenericAlert ToGenericAlert(string broker, JsonObject locus)
    {
        var id = Id(locus) ?? "";
        var properties = Properties(locus);
        var tags = Tags(locus);
        return new GenericAlert
        {
            Id = id,
            Name = Name(locus),
            Ra = JsonRead.Double(Attributes(locus)?["ra"]),
            Dec = JsonRead.Double(Attributes(locus)?["dec"]),
            Timestamp = JsonRead.Double(properties?["newest_alert_observation_time"]) is { } mjd
                ? Time(mjd, JsonRead.String(properties?["newest_alert_id"]))
                : null,
            Mag = JsonRead.Double(properties?["newest_alert_magnitude"]),
            Band = JsonRead.Double(properties?["newest_alert_magnitude"]) is null ? null : NewestBand(locus),
            Url = id.Length == 0 ? null : PageUrl(id),
            Classification = tags.Count == 0 ? null : string.Join(", ", tags),
            FirstDetection = JsonRead.Double(properties?["oldest_alert_observation_time"]) is { } first
                ? Time(first, JsonRead.String(properties?["oldest_alert_id"]))
                : null,
            LastDetection = JsonRead.Double(properties?["newest_alert_observation_time"]) is { } last
                ? Time(last, JsonRead.String(properties?["newest_alert_id"]))
                : null,
            Detections = (JsonRead.Long(properties?["num_mag_values"]) ?? JsonRead.Long(properties?["num_alerts"])) is >= 0 and <= int.MaxValue and var n
                ? (int)n
                : null,
            Classifications = tags.Select(t => new AlertClassification(broker, "tag", null, t, null)).ToList(),
        };
    }

    /// <summary>
    /// The band of the newest alert, from the locus's light curve (the <c>lightcurve</c> CSV of <c>loci/&lt;id&gt;</c>, the
    /// row of <c>newest_alert_id</c>); a search's listing has no light curve, so no band.
    /// </summary>
    private static string? NewestBand(JsonObject locus)
    {
        if (JsonRead.String(Attributes(locus)?["lightcurve"]) is not { } csv
            || JsonRead.String(Properties(locus)?["newest_alert_id"]) is not { } newest)
        {
            return null;
        }
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return null;
        }
        var header = lines[0].Split(',');
        var (idColumn, bandColumn) = (Array.IndexOf(header, "alert_id"), Array.IndexOf(header, "ant_passband"));
        if (idColumn < 0 || bandColumn < 0)
        {
            return null;
        }
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length > Math.Max(idColumn, bandColumn) && cells[idColumn] == newest && cells[bandColumn].Length > 0)
            {
                var band = cells[bandColumn];
                return newest.StartsWith("lsst", StringComparison.Ordinal) ? band : ZtfBands.GetValueOrDefault(band) ?? band;
            }
        }
        return null;
    }

    public static TargetCandidate ToTarget(string broker, JsonObject locus)
    {
        var generic = ToGenericAlert(broker, locus);
        var aliases = new List<string>();
        if (Id(locus) is { } locusId)
        {
            aliases.Add(locusId);
        }
        aliases.AddRange(ZtfIds(locus));
        aliases.AddRange(LsstIds(locus));

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                extras[key] = value;
            }
        }
        var properties = Properties(locus);
        Add("antares_tags", generic.Classification);
        Add("num_alerts", JsonRead.String(properties?["num_alerts"]));
        Add("num_mag_values", JsonRead.String(properties?["num_mag_values"]));
        var catalogs = (Attributes(locus)?["catalogs"] as JsonArray ?? []).Select(JsonRead.String).OfType<string>().ToList();
        Add("antares_catalogs", catalogs.Count == 0 ? null : string.Join(", ", catalogs));
        // Catalog matches grouped by catalog, as antares-client groups them (the id's prefix before ':').
        foreach (var group in JsonRead.Objects(Attributes(locus)?[CatalogMatchesKey]).GroupBy(CatalogName))
        {
            Add($"catalog:{group.Key}", string.Join(", ", group.Select(e => JsonRead.String(e["attributes"]?["object_name"]) ?? JsonRead.String(e["attributes"]?["object_id"])).OfType<string>()));
            if (group.Key == "tns_public_objects" && group.First()["attributes"]?["properties"] is JsonObject tns && JsonRead.String(tns["name"]) is { } bare)
            {
                var tnsName = (JsonRead.String(tns["name_prefix"]) ?? "") + bare;
                Add("tns_name", tnsName);
                Add("tns_type", JsonRead.String(tns["type"]));
                Add("tns_redshift", JsonRead.String(tns["redshift"]));
                aliases.Add(tnsName);
                // The bare name as well: TNS changes the prefix from AT to SN when a classification arrives.
                aliases.Add(bare);
            }
        }
        return new TargetCandidate
        {
            Name = generic.Name,
            Ra = generic.Ra,
            Dec = generic.Dec,
            Extras = extras,
            Aliases = aliases.Where(a => a != generic.Name).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static string CatalogName(JsonObject entry) =>
        JsonRead.String(entry["attributes"]?["name"]) ?? (JsonRead.String(entry["id"]) ?? "").Split(':')[0];

    /// <summary>
    /// The light curve from the locus's alerts. ZTF (<c>ant_survey</c> 1 detection, 2 upper limit): <c>ant_mag</c>,
    /// <c>ant_magerr</c>, <c>ant_maglim</c> at <c>ant_mjd</c> (UTC). LSST (4): the signed difference flux in nJy
    /// (ANTARES reports a negative flux as positive with <c>isNegative</c>), by the one flux rule, at midpointMjdTai.
    /// </summary>
    public static List<PhotometryPoint> Points(IEnumerable<JsonObject> alerts) =>
        alerts.Select(ToPoint).OfType<PhotometryPoint>().OrderBy(p => p.Timestamp).ToList();

    private static PhotometryPoint? ToPoint(JsonObject alert)
    {
        var id = JsonRead.String(alert["id"]) ?? "";
        var attributes = alert["attributes"] as JsonObject;
        if (attributes?["properties"] is not JsonObject p)
        {
            return null;
        }
        var survey = JsonRead.String(attributes["survey"]) ?? (id.StartsWith("lsst", StringComparison.Ordinal) ? "lsst" : "ztf");
        return survey == "lsst" ? LsstPoint(p) : ZtfPoint(id, p);
    }

    private static PhotometryPoint? ZtfPoint(string id, JsonObject p)
    {
        var band = (JsonRead.Long(p["ztf_fid"]) is { } fid ? ZtfFids.GetValueOrDefault(fid) : null)
                   ?? (JsonRead.String(p["ant_passband"]) is { } passband ? ZtfBands.GetValueOrDefault(passband) ?? passband : null);
        if ((JsonRead.Double(p["ant_mjd"]) ?? (JsonRead.Double(p["ztf_jd"]) - AstroTime.MjdOffset)) is not { } mjd || band is null)
        {
            return null;
        }
        var time = AstroTime.FromMjd(mjd);
        var upperLimit = JsonRead.Long(p["ant_survey"]) == 2 || id.StartsWith("ztf_upper_limit:", StringComparison.Ordinal);
        if (!upperLimit && JsonRead.Double(p["ant_mag"]) is { } mag)
        {
            var candid = JsonRead.Long(p["ztf_candid"])?.ToString(CultureInfo.InvariantCulture)
                         ?? (id.StartsWith("ztf_candidate:", StringComparison.Ordinal) ? id["ztf_candidate:".Length..] : null);
            return new PhotometryPoint
            {
                Timestamp = time, Bandpass = band, Magnitude = mag, MagnitudeError = JsonRead.Double(p["ant_magerr"]),
                Telescope = SurveyZtf, Survey = SurveyZtf, Kind = PhotometryKind.Detection, SourceId = candid,
            };
        }
        return (JsonRead.Double(p["ant_maglim"]) ?? JsonRead.Double(p["ztf_diffmaglim"])) is { } limit
            ? new PhotometryPoint { Timestamp = time, Bandpass = band, Limit = limit, Telescope = SurveyZtf, Survey = SurveyZtf, Kind = PhotometryKind.Limit }
            : null;
    }

    private static PhotometryPoint? LsstPoint(JsonObject p)
    {
        var mjd = JsonRead.Double(p["lsst_diaSource_midpointMjdTai"]) ?? JsonRead.Double(p["ant_mjd"]);
        var band = JsonRead.String(p["lsst_diaSource_band"]) ?? JsonRead.String(p["ant_passband"]);
        if (mjd is null || band is null)
        {
            return null;
        }
        var flux = JsonRead.Double(p["lsst_diaSource_psfFlux"]);
        if (flux is { } f && JsonRead.Bool(p["lsst_diaSource_isNegative"]) == true)
        {
            flux = -Math.Abs(f);
        }
        return FluxMagnitudes.FromFlux(AstroTime.FromMjdTai(mjd.Value), band, flux, JsonRead.Double(p["lsst_diaSource_psfFluxErr"]), LsstFluxUnit) is { } point
            ? point with { Survey = SurveyLsst, Telescope = SurveyLsst, SourceId = IdText(p["lsst_diaSource_diaSourceId"]) }
            : null;
    }

    private const string SurveyZtf = "ZTF";
    private const string SurveyLsst = "LSST";

    /// <summary>An alert time: LSST alerts' MJDs are TAI (<c>ant_mjd</c> = midpointMjdTai), ZTF's UTC.</summary>
    private static DateTime Time(double mjd, string? alertId) =>
        alertId?.StartsWith("lsst", StringComparison.Ordinal) == true ? AstroTime.FromMjdTai(mjd) : AstroTime.FromMjd(mjd);

    /// <summary>An int64 id (a number in alert properties, a string in the locus's survey ids) as exact text, never through double.</summary>
    private static string? IdText(JsonNode? node) => JsonRead.Long(node)?.ToString(CultureInfo.InvariantCulture);
}
