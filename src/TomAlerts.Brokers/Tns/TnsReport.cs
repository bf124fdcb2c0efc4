using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Targets;

namespace TomAlerts.Brokers.Tns;

/// <summary>
/// A TNS AT (discovery) report: its form pre-filled from a target, the <c>at_report</c> JSON of
/// <c>set/bulk-report</c> in TNS 2.0 names, and the reading of <c>get/bulk-report-reply</c> (names given, or the
/// field messages of a rejection).
/// </summary>
internal static class TnsReport
{
    public const string Ra = "ra";
    public const string Dec = "dec";
    public const string InternalName = "internal_name";
    public const string Reporter = "reporter";
    public const string ReportingGroup = "reporting_groupid";
    public const string DataSourceGroup = "data_source_groupid";
    public const string AtType = "at_type";
    public const string DiscoveryDate = "discovery_datetime";
    public const string Magnitude = "discovery_mag";
    public const string MagnitudeError = "discovery_mag_error";
    public const string Filter = "filterid";
    public const string Instrument = "instrumentid";
    public const string NonDetectionDate = "nondetection_datetime";
    public const string NonDetectionLimit = "nondetection_limit";
    public const string NonDetectionFilter = "nondetection_filterid";
    public const string ArchivalRemarks = "archival_remarks";
    public const string PeriodValue = "proprietary_period_value";
    public const string PeriodUnits = "proprietary_period_units";
    public const string Remarks = "remarks";

    public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The AB magnitude unit's id when TNS's unit list cannot be read (its position in that list).</summary>
    public const string DefaultAbMagUnitId = "1";

    private static readonly string[] DateFormats = [DateFormat, "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    /// <summary>
    /// TNS filter ids of the surveys' bands and instrument ids of their cameras (SkyPortal <c>utils/tns.py</c>; LSST
    /// from the contract §6), to pre-fill a choice TNS's lists do not name the same way.
    /// </summary>
    private static readonly Dictionary<(string Survey, string Band), string> FilterIds = new()
    {
        [(SurveyIds.Ztf, "g")] = "110", [(SurveyIds.Ztf, "r")] = "111", [(SurveyIds.Ztf, "i")] = "112",
        [(SurveyIds.Lsst, "u")] = "160", [(SurveyIds.Lsst, "g")] = "161", [(SurveyIds.Lsst, "r")] = "162",
        [(SurveyIds.Lsst, "i")] = "163", [(SurveyIds.Lsst, "z")] = "164", [(SurveyIds.Lsst, "y")] = "165",
    };

    private static readonly Dictionary<string, string> InstrumentIds = new() { [SurveyIds.Ztf] = "196", [SurveyIds.Lsst] = "287" };

    /// <summary>TNS's lists (<c>get/values</c>): id → name of groups, filters, instruments, AT types, and the AB magnitude unit id.</summary>
    public sealed record Values(IReadOnlyList<FieldChoice> Groups, IReadOnlyList<FieldChoice> Filters, IReadOnlyList<FieldChoice> Instruments,
        IReadOnlyList<FieldChoice> AtTypes, string AbMagUnitId)
    {
        public static Values? From(JsonNode? data)
        {
            if (data is not JsonObject o)
            {
                return null;
            }
            var units = Choices(o["units"]);
            return new Values(Choices(o["groups"]), Choices(o["filters"]), Choices(o["instruments"]), Choices(o["at_types"]),
                units.FirstOrDefault(u => string.Equals(u.Label, "ABMag", StringComparison.OrdinalIgnoreCase))?.Value ?? DefaultAbMagUnitId);
        }

        /// <summary>A dict id → name, or a list whose index is the id (empty entries skipped).</summary>
        private static List<FieldChoice> Choices(JsonNode? node) => node switch
        {
            JsonObject dict => dict.Select(kv => new FieldChoice(kv.Key, JsonRead.String(kv.Value) ?? kv.Key))
                .OrderBy(c => c.Label, StringComparer.OrdinalIgnoreCase).ToList(),
            JsonArray list => list.Select((v, i) => new FieldChoice(i.ToString(CultureInfo.InvariantCulture), JsonRead.String(v) ?? ""))
                .Where(c => c.Label.Length > 0).ToList(),
            _ => [],
        };
    }

    /// <summary>The earliest detection with a magnitude, and the latest limit before it.</summary>
    public static (PhotometryPoint? Discovery, PhotometryPoint? LastNonDetection) KeyPoints(IReadOnlyList<PhotometryPoint> photometry)
    {
        var discovery = photometry.Where(p => p.Kind == PhotometryKind.Detection && p.Magnitude is not null).MinBy(p => p.Timestamp);
        var limit = discovery is null ? null
            : photometry.Where(p => p.Kind == PhotometryKind.Limit && p.Limit is not null && p.Timestamp < discovery.Timestamp).MaxBy(p => p.Timestamp);
        return (discovery, limit);
    }

    public static BrokerForm Form(SubmissionSubject subject, Values? values, string? reporter, string? groupName, string? docsUrl)
    {
        var (discovery, limit) = KeyPoints(subject.Photometry);
        var survey = discovery?.Survey ?? SurveyIds.SurveyOf(subject.Name);
        var groupId = groupName is null ? null
            : values?.Groups.FirstOrDefault(g => string.Equals(g.Label, groupName, StringComparison.OrdinalIgnoreCase))?.Value
              ?? (long.TryParse(groupName, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? groupName : null);

        FormField IdField(string name, string label, IReadOnlyList<FieldChoice>? choices, string? initial, string? help = null, bool required = true, string? fieldset = null) =>
            choices is { Count: > 0 }
                ? new FormField(name, label, FieldKind.Choice) { Choices = choices, Initial = choices.Any(c => c.Value == initial) ? initial : null, Required = required, HelpText = help, Fieldset = fieldset }
                : new FormField(name, label, FieldKind.Integer) { Initial = initial, Min = 0, Required = required, HelpText = help ?? "TNS's id (its list could not be read).", Fieldset = fieldset };

        string? FilterOf(PhotometryPoint? p) =>
            p is null || (p.Survey ?? survey) is not { } s ? null : FilterIds.GetValueOrDefault((s, p.Bandpass.Trim()));

        return new BrokerForm
        {
            Intro = "Reports this target to the Transient Name Server as a new astronomical transient (AT report). "
                    + "TNS gives the name (AT 20xxabc) once it has processed the report. " + docsUrl,
            Notice = values is null ? "TNS's lists of groups, filters and instruments could not be read; enter TNS's ids." : null,
            Fields =
            [
                new FormField(Ra, "RA", FieldKind.RightAscension) { Required = true, Initial = Text(subject.Ra), Fieldset = "Position" },
                new FormField(Dec, "Dec", FieldKind.Declination) { Required = true, Initial = Text(subject.Dec), Fieldset = "Position" },
                new FormField(InternalName, "Internal name") { Initial = subject.Name, HelpText = "Your survey's name of the object.", Fieldset = "Position" },
                new FormField(AtType, "AT type", values?.AtTypes.Count > 0 ? FieldKind.Choice : FieldKind.Integer)
                    { Choices = values?.AtTypes ?? [], Initial = "1", Required = true, Fieldset = "Position" },
                new FormField(DiscoveryDate, "Discovery date (UTC)") { Required = true, Initial = discovery?.Timestamp.ToString(DateFormat, CultureInfo.InvariantCulture), Placeholder = DateFormat, Fieldset = "Discovery" },
                new FormField(Magnitude, "Discovery magnitude (AB)", FieldKind.Number) { Required = true, Initial = Text(discovery?.Magnitude), Fieldset = "Discovery" },
                new FormField(MagnitudeError, "Magnitude error", FieldKind.Number) { Min = 0, Initial = Text(discovery?.MagnitudeError), Fieldset = "Discovery" },
                IdField(Filter, "Filter", values?.Filters, FilterOf(discovery), fieldset: "Discovery"),
                IdField(Instrument, "Instrument", values?.Instruments, survey is null ? null : InstrumentIds.GetValueOrDefault(survey), fieldset: "Discovery"),
                new FormField(NonDetectionDate, "Last non-detection (UTC)") { Initial = limit?.Timestamp.ToString(DateFormat, CultureInfo.InvariantCulture), Placeholder = DateFormat, Fieldset = "Last non-detection", HelpText = "Or give archival remarks instead." },
                new FormField(NonDetectionLimit, "Limiting magnitude (AB)", FieldKind.Number) { Initial = Text(limit?.Limit), Fieldset = "Last non-detection" },
                IdField(NonDetectionFilter, "Filter", values?.Filters, FilterOf(limit), required: false, fieldset: "Last non-detection"),
                new FormField(ArchivalRemarks, "Archival remarks") { HelpText = "When there is no non-detection: why (e.g. not covered before).", Fieldset = "Last non-detection" },
                new FormField(Reporter, "Reporter") { Required = true, Initial = reporter, HelpText = "e.g. A. Name (Inst.) on behalf of the group.", Fieldset = "Reporter" },
                IdField(ReportingGroup, "Reporting group", values?.Groups, groupId, fieldset: "Reporter"),
                IdField(DataSourceGroup, "Data source group", values?.Groups, groupId, fieldset: "Reporter"),
                new FormField(PeriodValue, "Proprietary period", FieldKind.Integer) { Min = 0, Initial = "0", Required = true, Fieldset = "Reporter" },
                new FormField(PeriodUnits, "Period units", FieldKind.Choice)
                    { Choices = [new("days", "days"), new("months", "months"), new("years", "years")], Initial = "years", Required = true, Fieldset = "Reporter" },
                new FormField(Remarks, "Remarks", FieldKind.TextArea) { Fieldset = "Reporter" },
            ],
            Validate = Check,
        };
    }

    private static void Check(JsonObject p, FormErrors errors)
    {
        var discovery = ParseDate(p, DiscoveryDate, errors);
        var nonDetection = ParseDate(p, NonDetectionDate, errors);
        var hasLimit = p[NonDetectionLimit] is not null;
        var archival = JsonRead.String(p[ArchivalRemarks]) is not null;
        if (nonDetection is null && !hasLimit && !archival && !errors.Has(NonDetectionDate))
        {
            errors.Add(NonDetectionDate, "TNS needs the last non-detection (date and limit) or archival remarks.");
        }
        else if (!archival && (nonDetection is not null || hasLimit))
        {
            if (nonDetection is null && !errors.Has(NonDetectionDate))
            {
                errors.Add(NonDetectionDate, "Give the date of the non-detection.");
            }
            if (!hasLimit && !errors.Has(NonDetectionLimit))
            {
                errors.Add(NonDetectionLimit, "Give the limiting magnitude of the non-detection.");
            }
        }
        if (nonDetection is not null && discovery is not null && nonDetection >= discovery)
        {
            errors.Add(NonDetectionDate, "The last non-detection must be before the discovery.");
        }
    }

    private static DateTime? ParseDate(JsonObject p, string field, FormErrors errors)
    {
        if (JsonRead.String(p[field]) is not { } text)
        {
            return null;
        }
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            p[field] = date.ToString(DateFormat, CultureInfo.InvariantCulture);
            return date;
        }
        errors.Add(field, $"Enter a UTC date and time as {DateFormat}.");
        return null;
    }

    /// <summary>The <c>data</c> of <c>set/bulk-report</c> for cleaned form parameters (one report, one photometry point).</summary>
    public static JsonObject Build(JsonObject p, string abMagUnitId)
    {
        string S(string key) => p[key] switch
        {
            null => "",
            JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
            JsonValue v when v.TryGetValue(out long l) => l.ToString(CultureInfo.InvariantCulture),
            var node => JsonRead.String(node) ?? "",
        };
        JsonObject Coordinate(string key) => new() { ["value"] = S(key), ["error"] = "", ["units"] = "" };

        var nonDetection = JsonRead.String(p[ArchivalRemarks]) is { } remarks && p[NonDetectionDate] is null
            ? new JsonObject { ["archiveid"] = "0", ["archival_remarks"] = remarks }
            : new JsonObject
            {
                ["obsdate"] = S(NonDetectionDate), ["limiting_flux"] = S(NonDetectionLimit), ["flux_unitid"] = abMagUnitId,
                ["filterid"] = p[NonDetectionFilter] is null ? S(Filter) : S(NonDetectionFilter), ["instrumentid"] = S(Instrument),
                ["exptime"] = "", ["observer"] = "", ["comments"] = "",
            };
        var report = new JsonObject
        {
            ["ra"] = Coordinate(Ra),
            ["dec"] = Coordinate(Dec),
            ["reporting_groupid"] = S(ReportingGroup),
            ["data_source_groupid"] = S(DataSourceGroup),
            ["reporter"] = S(Reporter),
            ["discovery_datetime"] = S(DiscoveryDate),
            ["at_type"] = S(AtType),
            ["internal_name"] = S(InternalName),
            ["host_name"] = "",
            ["host_redshift"] = "",
            ["transient_redshift"] = "",
            ["remarks"] = S(Remarks),
            ["proprietary_period_groups"] = new JsonArray(),
            ["proprietary_period"] = new JsonObject { ["proprietary_period_value"] = S(PeriodValue), ["proprietary_period_units"] = S(PeriodUnits) },
            ["non_detection"] = nonDetection,
            ["photometry"] = new JsonObject
            {
                ["photometry_group"] = new JsonObject
                {
                    ["0"] = new JsonObject
                    {
                        ["obsdate"] = S(DiscoveryDate), ["flux"] = S(Magnitude), ["flux_error"] = S(MagnitudeError), ["limiting_flux"] = "",
                        ["flux_unitid"] = abMagUnitId, ["filterid"] = S(Filter), ["instrumentid"] = S(Instrument),
                        ["exptime"] = "", ["observer"] = "", ["comments"] = "",
                    },
                },
            },
            ["related_files"] = new JsonObject(),
        };
        return new JsonObject { ["at_report"] = new JsonObject { ["0"] = report } };
    }

    /// <summary>
    /// The names of a processed report's <c>feedback.at_report</c>: code 100 a new object (AT + objname), 101 the
    /// object already there (its prefix + objname), 121 a changed prefix; and the bare objname. Empty when none.
    /// </summary>
    public static IReadOnlyList<string> Names(JsonNode? payload)
    {
        var names = new List<string>();
        foreach (var entry in Entries(payload))
        {
            foreach (var (code, value) in entry)
            {
                if (value is not JsonObject item)
                {
                    continue;
                }
                if (JsonRead.String(item["new_object_name"]) is { } renamed)
                {
                    names.Add(renamed);
                }
                if (JsonRead.String(item["objname"]) is { } objName)
                {
                    var prefix = JsonRead.String(item["prefix"]) ?? (code == "100" ? "AT" : null);
                    if (prefix is not null)
                    {
                        names.Add($"{prefix} {objName}");
                    }
                    names.Add(objName);
                }
            }
        }
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>A rejection's field messages, "field: message", as TNS lists them per report entry.</summary>
    public static string? Rejection(JsonNode? payload)
    {
        var messages = Entries(payload)
            .SelectMany(entry => entry.Where(kv => kv.Value is JsonArray)
                .SelectMany(kv => ((JsonArray)kv.Value!).OfType<JsonObject>()
                    .Select(m => JsonRead.String(m["message"])).OfType<string>().Select(m => $"{kv.Key}: {m}")))
            .ToList();
        return messages.Count == 0 ? null : string.Join("; ", messages);
    }

    private static IEnumerable<JsonObject> Entries(JsonNode? payload) =>
        JsonRead.Objects((payload as JsonObject)?["feedback"]?["at_report"]);

    private static string? Text(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);
}
