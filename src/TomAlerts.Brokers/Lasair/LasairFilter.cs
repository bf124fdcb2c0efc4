using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// Lasair's query form applied to one streamed object: the survey and the cone can be; the SQL conditions cannot
/// (a Lasair stream is already the output of the user's Lasair filter, whose conditions Lasair ran).
/// </summary>
internal static class LasairFilter
{
    public const string SqlMessage =
        "Lasair's SQL condition cannot be applied to a stream message: a Lasair stream is already the output of a Lasair filter; leave it empty.";

    /// <summary>The cone's radius when none is given, as a search uses.</summary>
    private const double DefaultRadiusArcsec = 10;

    public static IReadOnlyDictionary<string, string> Check(JsonObject parameters) =>
        parameters.GetString(LasairForm.Sql) is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [LasairForm.Sql] = SqlMessage };

    public static bool Matches(JsonObject parameters, JsonObject alert)
    {
        var lsst = LasairLsst.IsLsstObject(alert);
        if (parameters.GetString(LasairLsst.SurveyKey) is { } survey && LasairLsst.IsLsst(parameters) != lsst
            && survey.Trim().ToLowerInvariant() is "ztf" or LasairLsst.Survey)
        {
            return false;
        }
        var search = LasairSearch.From(parameters);
        if (!search.IsCone)
        {
            return true;
        }
        var (ra, dec) = lsst ? LasairLsst.Position(alert) : ZtfPosition(alert);
        return ra is not null && dec is not null
               && Angles.Separation(search.Ra!.Value, search.Dec!.Value, ra.Value, dec.Value) * 3600 <= (search.RadiusArcsec ?? DefaultRadiusArcsec);
    }

    private static (double? Ra, double? Dec) ZtfPosition(JsonObject alert)
    {
        var data = LasairObject.Data(alert);
        if (JsonRead.Double(data?["ramean"]) is { } ra && JsonRead.Double(data?["decmean"]) is { } dec)
        {
            return (ra, dec);
        }
        var latest = LasairObject.LatestDetection(alert);
        return (latest?.Ra, latest?.Dec);
    }
}
