using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Targets;

namespace TomAlerts.Brokers.Tns;

/// <summary>The TNS query form, as TOM's TNSForm, with the cross-field checks TOM lacks.</summary>
internal static class TnsForm
{
    public const string TargetName = "target_name";
    public const string InternalName = "internal_name";
    public const string Ra = "ra";
    public const string Dec = "dec";
    public const string Radius = "radius";
    public const string Units = "units";
    public const string DaysAgo = "days_ago";
    public const string MinDate = "min_date";
    public const string DaysFromNondet = "days_from_nondet";

    public const string ConeNeedsAll = "A cone search needs R.A., Dec. and a radius together.";
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    private const string ConeFieldset = "Cone Search";
    private const string DateFieldset = "Discovery Date";

    public static BrokerForm Create(string? docsUrl) => new()
    {
        Intro = "Search the Transient Name Server by name, position or discovery date. Each object found costs one more "
                + "TNS request, and TNS limits requests per minute, so a broad search can take a while."
                + (docsUrl is null ? "" : $" See {docsUrl}"),
        Fields =
        [
            new FormField(TargetName, "Target (IAU) Name") { HelpText = "With or without its prefix (AT, SN, TDE, FRB): TNS is searched by the name after it" },
            new FormField(InternalName, "Internal (Survey) Name"),
            new FormField(Ra, "R.A.", FieldKind.RightAscension)
            {
                HelpText = "Right ascension in degrees or hh:mm:ss", Fieldset = ConeFieldset,
            },
            new FormField(Dec, "Dec.", FieldKind.Declination)
            {
                HelpText = "Declination in degrees or ±dd:mm:ss", Fieldset = ConeFieldset,
            },
            new FormField(Radius, "Cone Radius", FieldKind.Number) { MinExclusive = 0, Fieldset = ConeFieldset },
            new FormField(Units, "Radius Units", FieldKind.Choice)
            {
                Choices = [new("", "---------"), new("arcsec", "arcsec"), new("arcmin", "arcmin"), new("deg", "deg")],
                Initial = "arcsec",
                Fieldset = ConeFieldset,
            },
            new FormField(DaysAgo, "Discovered in the Last __ Days", FieldKind.Number)
            {
                HelpText = "Leave blank to use the \"Discovered After\" field", Min = 0, Fieldset = DateFieldset,
            },
            new FormField(MinDate, "Discovered After")
            {
                HelpText = "Most valid date formats are recognized", Placeholder = "2023-10-23 09:53:46", Fieldset = DateFieldset,
            },
            new FormField(DaysFromNondet, "Days From Nondetection", FieldKind.Number)
            {
                HelpText = "Maximum time between last nondetection and first detection", Min = 0, Fieldset = DateFieldset,
            },
        ],
        Validate = Validate,
    };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        if (parameters.GetString(TargetName) is { } name)
        {
            parameters[TargetName] = WithoutPrefix(name);
        }

        string[] cone = [Ra, Dec, Radius];
        // A value that could not be read was given, and already has its message.
        var given = cone.Where(f => parameters.GetDouble(f) is not null || errors.Has(f)).ToList();
        if (given.Count is > 0 and < 3)
        {
            foreach (var missing in cone.Except(given))
            {
                errors.Add(missing, ConeNeedsAll);
            }
        }

        string[] criteria = [TargetName, InternalName, DaysAgo, MinDate];
        if (given.Count == 0 && criteria.All(f => parameters.GetString(f) is null))
        {
            // TOM allows an empty search, which asks TNS for every object and one more request per object.
            errors.Add(FormErrors.FormWide, "Enter a target name, an internal name, a cone, or a discovery date to search TNS.");
        }

        if (parameters.GetString(MinDate) is { } minDate)
        {
            if (ParseDate(minDate) is { } date)
            {
                parameters[MinDate] = date.ToString(TimestampFormat, CultureInfo.InvariantCulture);
            }
            else
            {
                errors.Add(MinDate, "Enter a date TNS can search from, e.g. 2023-10-23 or 2023-10-23 09:53:46.");
            }
        }
    }

    /// <summary>"SN2023vjq", "AT 2023vjq" or "TDE2023vjq" → "2023vjq", "FRB 20190520B" → "20190520B": TNS searches and object calls take the bare name.</summary>
    public static string WithoutPrefix(string name) => TransientDesignation.WithoutPrefix(name);

    public static DateTime? ParseDate(string text) =>
        DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
}

/// <summary>A saved TNS query turned into the <c>data</c> of a <c>get/search</c> request, plus the filter TNS cannot apply.</summary>
internal sealed record TnsSearch(JsonObject Data, double? DaysFromNondet)
{
    public static TnsSearch From(JsonObject parameters, DateTimeOffset now)
    {
        var ra = parameters.GetDouble(TnsForm.Ra);
        var dec = parameters.GetDouble(TnsForm.Dec);
        var radius = parameters.GetDouble(TnsForm.Radius);
        var isCone = ra is not null && dec is not null && radius is not null;

        var publicTimestamp = "";
        if (parameters.GetDouble(TnsForm.DaysAgo) is { } daysAgo)
        {
            publicTimestamp = (now.UtcDateTime - TimeSpan.FromDays(daysAgo)).ToString(TnsForm.TimestampFormat, CultureInfo.InvariantCulture);
        }
        else if (parameters.GetString(TnsForm.MinDate) is { } minDate && TnsForm.ParseDate(minDate) is { } date)
        {
            publicTimestamp = date.ToString(TnsForm.TimestampFormat, CultureInfo.InvariantCulture);
        }

        // TNS's own keys, every one sent, unused ones as "" (TOM sent "name", which TNS does not know).
        var data = new JsonObject
        {
            ["ra"] = isCone ? Number(ra!.Value) : "",
            ["dec"] = isCone ? Number(dec!.Value) : "",
            ["radius"] = isCone ? Number(radius!.Value) : "",
            ["units"] = isCone ? parameters.GetString(TnsForm.Units) ?? "arcsec" : "",
            ["objname"] = parameters.GetString(TnsForm.TargetName) is { } name ? TnsForm.WithoutPrefix(name) : "",
            ["objname_exact_match"] = 0,
            ["internal_name"] = parameters.GetString(TnsForm.InternalName) ?? "",
            ["internal_name_exact_match"] = 0,
            ["objid"] = "",
            ["public_timestamp"] = publicTimestamp,
        };
        return new TnsSearch(data, parameters.GetDouble(TnsForm.DaysFromNondet));
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
