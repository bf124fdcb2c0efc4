using System.Globalization;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// The create and edit form as typed: RA/Dec in degrees or sexagesimal, aliases one per line, extras as key=value
/// lines (the person's own), and TOM's orbital elements for a non-sidereal target.
/// </summary>
public sealed class TargetForm
{
    public string? Name { get; set; }
    /// <summary>"sidereal" or "non-sidereal".</summary>
    public string? Type { get; set; } = "sidereal";
    public string? Ra { get; set; }
    public string? Dec { get; set; }
    public string? Epoch { get; set; } = "2000";
    public string? Aliases { get; set; }
    public string? Extras { get; set; }
    public string? Scheme { get; set; }
    public Dictionary<string, string?> Elements { get; set; } = [];
    public bool CreateAnyway { get; set; }

    public static TargetForm From(Target t, string? userSource) => new()
    {
        Name = t.Name,
        Type = TargetSummaryDto.TypeName(t.Type),
        Ra = t.Ra?.ToString("R", CultureInfo.InvariantCulture),
        Dec = t.Dec?.ToString("R", CultureInfo.InvariantCulture),
        Epoch = t.Epoch?.ToString("R", CultureInfo.InvariantCulture),
        Aliases = string.Join("\n", t.Aliases.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.Name)),
        Extras = string.Join("\n", t.Extras.Where(e => e.Source == userSource).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")),
        Scheme = t.Elements?.Scheme,
        Elements = TargetEditor.ElementFields.ToDictionary(f => f,
            f => t.Elements is null ? null : ((double?)typeof(OrbitalElements).GetProperty(f)!.GetValue(t.Elements))?.ToString("R", CultureInfo.InvariantCulture)),
    };

    /// <summary>The form read into a change; a field that cannot be read gets its message in <paramref name="errors"/>.</summary>
    public TargetChange Read(IDictionary<string, FieldError> errors)
    {
        var (ra, dec) = TargetEditor.ReadPosition(Ra, Dec, errors);
        var type = Type switch
        {
            "non-sidereal" => TargetType.NonSidereal,
            "sidereal" or null or "" => TargetType.Sidereal,
            _ => (TargetType?)null,
        };
        if (type is null)
        {
            errors["type"] = new FieldError("Choose sidereal or non-sidereal.");
        }
        var epoch = Number("epoch", Epoch, errors);
        OrbitalElements? elements = null;
        if (type == TargetType.NonSidereal && (!string.IsNullOrWhiteSpace(Scheme) || Elements.Values.Any(v => !string.IsNullOrWhiteSpace(v))))
        {
            elements = new OrbitalElements { Scheme = Scheme?.Trim() ?? "" };
            foreach (var field in TargetEditor.ElementFields)
            {
                typeof(OrbitalElements).GetProperty(field)!.SetValue(elements, Number(TargetEditor.JsonName(field), Elements.GetValueOrDefault(field), errors));
            }
        }
        var extras = new List<KeyValuePair<string, string>>();
        foreach (var line in Lines(Extras))
        {
            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                errors.TryAdd("extras", new FieldError($"Write each extra as key=value: \"{line}\" has no key."));
                continue;
            }
            var key = line[..at].Trim();
            if (key.Length > 200)
            {
                errors.TryAdd("extras", new FieldError("An extra's key has at most 200 characters."));
            }
            else if (extras.Any(e => e.Key == key))
            {
                errors.TryAdd("extras", new FieldError($"The key {key} is given twice."));
            }
            extras.Add(new(key, line[(at + 1)..].Trim()));
        }
        return new TargetChange
        {
            Name = Name?.Trim() ?? "", Type = type, Ra = ra, Dec = dec, Epoch = epoch, Elements = elements,
            Aliases = Lines(Aliases), Extras = extras,
        };
    }

    private static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static double? Number(string field, string? text, IDictionary<string, FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors[field] = new FieldError($"\"{text.Trim()}\" is not a number.");
        return null;
    }
}
