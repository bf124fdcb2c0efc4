using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

public enum FieldKind
{
    Text,
    TextArea,
    Integer,
    Number,
    Choice,
    Boolean,
    /// <summary>Right ascension in decimal degrees or as hh:mm:ss; stored in degrees.</summary>
    RightAscension,
    /// <summary>Declination in decimal degrees or as ±dd:mm:ss; stored in degrees.</summary>
    Declination,
}

public sealed record FieldChoice(string Value, string Label);

/// <summary>One field of a broker's query form: how it is shown and the rules its value must follow.</summary>
public sealed record FormField(string Name, string Label, FieldKind Kind = FieldKind.Text)
{
    public string? HelpText { get; init; }
    public bool Required { get; init; }
    public IReadOnlyList<FieldChoice> Choices { get; init; } = [];
    public double? Min { get; init; }
    /// <summary>A bound the value must stay strictly above (a radius &gt; 0).</summary>
    public double? MinExclusive { get; init; }
    public double? Max { get; init; }
    /// <summary>A bound the value must stay strictly below (RA &lt; 360).</summary>
    public double? MaxExclusive { get; init; }
    public string? Initial { get; init; }
    public string? Placeholder { get; init; }
    public string? Fieldset { get; init; }
}

/// <summary>Errors of one form submission: per field, and "" for the form as a whole.</summary>
public sealed class FormErrors
{
    public const string FormWide = "";
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public bool IsEmpty => _errors.Count == 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public IReadOnlyList<string> For(string field) => _errors.TryGetValue(field, out var list) ? list : [];

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

public sealed record FormResult(JsonObject Parameters, FormErrors Errors)
{
    public bool IsValid => Errors.IsEmpty;
}

/// <summary>
/// A broker's query form: the fields pages render and the rules both pages and the API validate with.
/// Cleaned parameters keep TOM's shape: every field (null when empty), plus <c>query_name</c> and <c>broker</c>.
/// </summary>
public sealed class BrokerForm
{
    public const string QueryNameField = "query_name";
    /// <summary>The longest query name a form accepts.</summary>
    public const int QueryNameMaxLength = 500;
    public const string BrokerField = "broker";

    public IReadOnlyList<FormField> Fields { get; init; } = [];

    /// <summary>Plain-text introduction shown above the form.</summary>
    public string? Intro { get; init; }

    /// <summary>A notice about the form itself, e.g. that choices could not be loaded from the broker.</summary>
    public string? Notice { get; init; }

    /// <summary>
    /// Rules across fields, run after every field was read, so that one answer lists every error; add errors to the
    /// field or to <see cref="FormErrors.FormWide"/>. A field that could not be read is null in the parameters and
    /// already has its error (<see cref="FormErrors.Has"/>): a rule about it should say nothing more.
    /// </summary>
    public Action<JsonObject, FormErrors>? Validate { get; init; }

    public FormField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public FormResult Clean(string brokerName, IReadOnlyDictionary<string, string?> input)
    {
        var errors = new FormErrors();
        var parameters = new JsonObject();

        var queryName = input.GetValueOrDefault(QueryNameField)?.Trim();
        if (string.IsNullOrEmpty(queryName))
        {
            errors.Add(QueryNameField, "This field is required.");
        }
        else if (queryName.Length > QueryNameMaxLength)
        {
            errors.Add(QueryNameField, $"Ensure this value has at most {QueryNameMaxLength} characters.");
        }
        parameters[QueryNameField] = queryName;
        parameters[BrokerField] = brokerName;
        CleanFields(input, parameters, errors);
        return new FormResult(parameters, errors);
    }

    /// <summary>Only the form's own fields and rules, for a form that is not a saved query (a submission form).</summary>
    public FormResult CleanFields(IReadOnlyDictionary<string, string?> input)
    {
        var errors = new FormErrors();
        var parameters = new JsonObject();
        CleanFields(input, parameters, errors);
        return new FormResult(parameters, errors);
    }

    /// <summary>The values a form shows before anything was entered: each field's initial value.</summary>
    public Dictionary<string, string?> InitialValues() => Fields.ToDictionary(f => f.Name, f => f.Initial, StringComparer.Ordinal);

    private void CleanFields(IReadOnlyDictionary<string, string?> input, JsonObject parameters, FormErrors errors)
    {
        foreach (var field in Fields)
        {
            parameters[field.Name] = CleanField(field, input.GetValueOrDefault(field.Name), errors);
        }
        Validate?.Invoke(parameters, errors);
    }

    /// <summary>The raw strings a stored parameter set shows in the form again (for editing).</summary>
    public static Dictionary<string, string?> ToInput(JsonObject parameters)
    {
        var input = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            input[key] = value switch
            {
                null => null,
                JsonValue v when v.TryGetValue(out string? s) => s,
                JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
                JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
                _ => value.ToJsonString(),
            };
        }
        return input;
    }

    private static JsonNode? CleanField(FormField field, string? raw, FormErrors errors)
    {
        var text = raw?.Trim();
        if (field.Kind == FieldKind.Boolean)
        {
            return text is "true" or "on" or "True" or "1";
        }
        if (string.IsNullOrEmpty(text))
        {
            if (field.Required)
            {
                errors.Add(field.Name, "This field is required.");
            }
            return null;
        }
        switch (field.Kind)
        {
            case FieldKind.Integer:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                {
                    errors.Add(field.Name, "Enter a whole number.");
                    return null;
                }
                CheckRange(field, whole, errors);
                return JsonValue.Create(whole);
            case FieldKind.Number:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    || !double.IsFinite(number))
                {
                    errors.Add(field.Name, "Enter a number.");
                    return null;
                }
                CheckRange(field, number, errors);
                return JsonValue.Create(number);
            case FieldKind.RightAscension:
                if (!Sky.Angles.TryParseRa(text, out var ra))
                {
                    errors.Add(field.Name, "Enter RA in decimal degrees (0 to 360) or as hh:mm:ss.");
                    return null;
                }
                return JsonValue.Create(ra);
            case FieldKind.Declination:
                if (!Sky.Angles.TryParseDec(text, out var dec))
                {
                    errors.Add(field.Name, "Enter Dec in decimal degrees (−90 to 90) or as ±dd:mm:ss.");
                    return null;
                }
                return JsonValue.Create(dec);
            case FieldKind.Choice:
                if (!field.Choices.Any(c => c.Value == text))
                {
                    errors.Add(field.Name, $"Select a valid choice. {text} is not one of the available choices.");
                    return null;
                }
                return JsonValue.Create(text);
            default:
                if (text.Length > 4000)
                {
                    errors.Add(field.Name, "Ensure this value has at most 4000 characters.");
                }
                return JsonValue.Create(text);
        }
    }

    private static void CheckRange(FormField field, double value, FormErrors errors)
    {
        if (field.Min is { } min && value < min)
        {
            errors.Add(field.Name, $"Ensure this value is greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (field.MinExclusive is { } above && value <= above)
        {
            errors.Add(field.Name, $"Ensure this value is greater than {above.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (field.Max is { } max && value > max)
        {
            errors.Add(field.Name, $"Ensure this value is less than or equal to {max.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (field.MaxExclusive is { } below && value >= below)
        {
            errors.Add(field.Name, $"Ensure this value is less than {below.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
