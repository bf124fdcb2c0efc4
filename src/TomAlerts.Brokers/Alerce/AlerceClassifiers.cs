using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Alerce;

/// <summary>
/// One classifier/probability pair of the form: the form key (<c>lc_classifier</c>, probability in
/// <c>p_lc_classifier</c>) and the classifier name ALeRCE's API knows it by.
/// </summary>
internal sealed record AlerceClassifierField(string Key, string ApiName, string ClassLabel, string ProbabilityLabel, int Priority)
{
    public string ProbabilityKey => "p_" + Key;

    public bool IsStamp => Key.StartsWith("stamp_", StringComparison.Ordinal);
}

/// <summary>A row of <c>GET /classifiers</c>.</summary>
internal sealed record AlerceClassifierInfo(string Name, string Version, IReadOnlyList<string> Classes)
{
    public static IReadOnlyList<AlerceClassifierInfo> FromJson(JsonNode? json)
    {
        if (json is not JsonArray)
        {
            throw new BrokerException("ALeRCE's classifier list is not a JSON array.");
        }
        return JsonRead.Objects(json)
            .Select(o => new AlerceClassifierInfo(
                JsonRead.String(o["classifier_name"]) ?? "",
                JsonRead.String(o["classifier_version"]) ?? "",
                o["classes"] is JsonArray classes ? classes.Select(JsonRead.String).OfType<string>().ToList() : []))
            .Where(c => c.Name.Length > 0)
            .ToList();
    }
}

internal static class AlerceClassifiers
{
    /// <summary>In form order. Priority is TOM's choice when stored parameters name several: stamp classifiers first.</summary>
    public static readonly IReadOnlyList<AlerceClassifierField> Fields =
    [
        new("lc_classifier", "lc_classifier", "Light Curve Classifier Class", "Light Curve Classifier Probability", 2),
        new("lc_classifier_top", "lc_classifier_top", "Light Curve Classifier Top Class", "Light Curve Classifier Top Probability", 3),
        new("lc_classifier_bhrf", "lc_classifier_BHRF_forced_phot", "Light Curve Classifier BHRF Forced Phot Class",
            "Light Curve Classifier BHRF Forced Phot Probability", 4),
        new("lc_classifier_bhrf_top", "lc_classifier_BHRF_forced_phot_top", "Light Curve Classifier BHRF Forced Phot Top Class",
            "Light Curve Classifier BHRF Forced Phot Top Probability", 5),
        new("lc_classifier_atat", "LC_classifier_ATAT_forced_phot(beta)", "Light Curve Classifier ATAT Forced Phot Beta Class",
            "Light Curve Classifier ATAT Forced Phot Beta Probability", 6),
        new("stamp_classifier", "stamp_classifier", "Stamp Class", "Stamp Classifier Probability", 0),
        new("stamp_classifier_beta", "stamp_classifier_2025_beta", "Stamp Classifier 2025 Beta Class",
            "Stamp Classifier 2025 Beta Probability", 1),
    ];

    private static readonly string[] HierarchicalGroups = ["transient", "stochastic", "periodic"];

    /// <summary>
    /// The class choices of one form field. The plain <c>lc_classifier</c> lists its own classes only from a
    /// version newer than 1.0.0; older servers split them over <c>lc_classifier_&lt;group&gt;</c> sub-classifiers.
    /// </summary>
    public static IReadOnlyList<FieldChoice> Choices(AlerceClassifierField field, IReadOnlyList<AlerceClassifierInfo> classifiers)
    {
        var choices = new List<FieldChoice> { new("", "") };
        var own = Newest(classifiers, field.ApiName);
        if (field.Key == "lc_classifier" && (own is null || CompareVersions(VersionSuffix(own.Version), "1.0.0") <= 0))
        {
            foreach (var group in HierarchicalGroups)
            {
                var sub = Newest(classifiers, $"lc_classifier_{group}");
                var groupLabel = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(group);
                choices.AddRange(sub?.Classes.Select(c => new FieldChoice(c, $"{groupLabel} - {c}")) ?? []);
            }
        }
        else if (own is not null)
        {
            choices.AddRange(own.Classes.Select(c => new FieldChoice(c, c)));
        }
        return choices.DistinctBy(c => c.Value).ToList();
    }

    private static AlerceClassifierInfo? Newest(IReadOnlyList<AlerceClassifierInfo> classifiers, string name) =>
        classifiers.Where(c => c.Name == name)
            .Aggregate((AlerceClassifierInfo?)null, (best, c) =>
                best is null || CompareVersions(VersionSuffix(c.Version), VersionSuffix(best.Version)) > 0 ? c : best);

    /// <summary>"hierarchical_random_forest_1.1.0" → "1.1.0".</summary>
    private static string VersionSuffix(string version) => version[(version.LastIndexOf('_') + 1)..];

    // TOM compares these as strings, which puts "1.10.0" before "1.9.0".
    private static int CompareVersions(string a, string b) =>
        Version.TryParse(a, out var va) && Version.TryParse(b, out var vb)
            ? va.CompareTo(vb)
            : string.CompareOrdinal(a, b);
}
