using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// Lasair's query form (TOM's LasairBrokerForm) and the search it asks for, with a survey choice: ZTF (Lasair-ZTF, the
/// default) or LSST (Lasair's LSST service). Both surveys take the same cone and SQL fields (ADR-006).
/// </summary>
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
            new FormField(LasairLsst.SurveyKey, "Survey", FieldKind.Choice)
            {
                Choices = [new("ztf", "ZTF"), new(LasairLsst.Survey, "LSST")],
                Initial = "ztf",
                HelpText = "ZTF searches Lasair-ZTF, LSST Lasair's LSST service (lasair.lsst.ac.uk), whose objects table has other columns.",
            },
            new FormField(Ra, "RA", FieldKind.RightAscension)
            {
                HelpText = "RA (decimal degrees or hh:mm:ss)", Fieldset = ConeFieldset,
            },
            new FormField(Dec, "Dec", FieldKind.Declination)
            {
                HelpText = "Dec (decimal degrees or ±dd:mm:ss)", Fieldset = ConeFieldset,
            },
            new FormField(Radius, "Radius", FieldKind.Number)
            {
                HelpText = "Radius (arcsec)", Initial = "10", MinExclusive = 0, Max = MaxRadiusArcsec, Fieldset = ConeFieldset,
            },
            new FormField(Sql, "SQL Query the \"Objects\" table.", FieldKind.TextArea)
            {
                HelpText = "The WHERE criteria to restrict which objects are returned, e.g. gmag < 12.0 (ZTF) or "
                           + "nDiaSources >= 4 AND decl > 0 (LSST: diaObjectId, ra, decl, lastDiaSourceMjdTai, r_psfFlux …). Conditions on "
                           + "sherlock_classifications (e.g. sherlock_classifications.classification = \"SN\") also list Sherlock's class; "
                           + "Lasair then keeps only objects that have one.",
                Fieldset = SqlFieldset,
            },
        ],
        Validate = Validate,
    };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        // A value that could not be read was given, and already has its message.
        bool Given(string field) => parameters[field] is not null || errors.Has(field);
        var (ra, dec, radius, sql) = (Given(Ra), Given(Dec), Given(Radius), Given(Sql));

        if (!ra && !dec && !sql)
        {
            errors.Add(FormErrors.FormWide, EitherConeOrSql);
            return;
        }
        if (ra && !dec)
        {
            errors.Add(Dec, "Give a Dec with the RA for a cone search.");
        }
        if (dec && !ra)
        {
            errors.Add(Ra, "Give an RA with the Dec for a cone search.");
        }
        if ((ra || dec) && !radius)
        {
            errors.Add(Radius, "Give a radius (arcsec) for a cone search.");
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
