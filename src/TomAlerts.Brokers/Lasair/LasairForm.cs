using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Lasair;

/// <summary>Lasair's query form (TOM's LasairBrokerForm) and the search it asks for.</summary>
internal static class LasairForm
{
    public const string Ra = "cone_ra";
    public const string Dec = "cone_dec";
    public const string Radius = "cone_radius";
    public const string Sql = "sqlquery";

    public const string EitherConeOrSql = "Either RA/Dec or Freeform SQL Query must be populated.";

    /// <summary>Lasair refuses larger cones with "Max radius is 1000 arcsec.".</summary>
    public const double MaxRadiusArcsec = 1000;

    private const string ConeFieldset = "Cone Search";
    private const string SqlFieldset = "SQL Query Search";

    public static BrokerForm Create(string docsUrl) => new()
    {
        Intro = $"Search Lasair by a cone around a position, or by SQL conditions on its \"objects\" table. See Lasair's REST API: {docsUrl}",
        Fields =
        [
            new FormField(Ra, "RA", FieldKind.Number)
            {
                HelpText = "RA (decimal degrees)", Min = 0, MaxExclusive = 360, Fieldset = ConeFieldset,
            },
            new FormField(Dec, "Dec", FieldKind.Number)
            {
                HelpText = "Dec (decimal degrees)", Min = -90, Max = 90, Fieldset = ConeFieldset,
            },
            new FormField(Radius, "Radius", FieldKind.Number)
            {
                HelpText = "Radius (arcsec)", Initial = "10", Max = MaxRadiusArcsec, Fieldset = ConeFieldset,
            },
            new FormField(Sql, "SQL Query the \"Objects\" table.", FieldKind.TextArea)
            {
                HelpText = "The WHERE criteria to restrict which objects are returned, e.g. gmag < 12.0",
                Fieldset = SqlFieldset,
            },
        ],
        Validate = Validate,
    };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        var ra = parameters.GetDouble(Ra);
        var dec = parameters.GetDouble(Dec);
        var radius = parameters.GetDouble(Radius);
        var sql = parameters.GetString(Sql);

        if (ra is null && dec is null && sql is null)
        {
            errors.Add(FormErrors.FormWide, EitherConeOrSql);
            return;
        }
        if (ra is not null && dec is null)
        {
            errors.Add(Dec, "Give a Dec with the RA for a cone search.");
        }
        if (dec is not null && ra is null)
        {
            errors.Add(Ra, "Give an RA with the Dec for a cone search.");
        }
        if (ra is not null || dec is not null)
        {
            if (radius is null)
            {
                errors.Add(Radius, "Give a radius (arcsec) for a cone search.");
            }
            else if (radius <= 0)
            {
                errors.Add(Radius, "Ensure this value is greater than 0.");
            }
        }
    }
}

/// <summary>What a saved Lasair query asks for: a cone, an SQL condition, or nothing usable.</summary>
internal sealed record LasairSearch(double? Ra, double? Dec, double? RadiusArcsec, string? Sql)
{
    public static LasairSearch From(JsonObject parameters) => new(
        parameters.GetDouble(LasairForm.Ra),
        parameters.GetDouble(LasairForm.Dec),
        parameters.GetDouble(LasairForm.Radius),
        parameters.GetString(LasairForm.Sql));

    public bool IsCone => Ra is not null && Dec is not null;
}
