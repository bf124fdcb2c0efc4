using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Gaia;

[Broker("Gaia", DefaultBaseUrl = Site)]
public sealed class GaiaBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings), IConeSearchable
{
    /// <summary>Cambridge's Gaia Science Alerts site, served over https.</summary>
    private const string Site = "https://gsaweb.ast.cam.ac.uk";

    /// <summary>The alert stream ended with the mission; what the index holds is all there will be.</summary>
    public const string ArchivalNotice =
        "Gaia Science Alerts ended with the Gaia mission in 2025: the alert index is an archive and no new alerts are published. "
        + "Queries search the archived alerts; a schedule of a Gaia query will find nothing new.";

    public const string NeitherMessage = "Please enter either a target name or cone search parameters.";
    public const string BothMessage = "Please only enter one of target name or cone search parameters.";

    private const string IndexUrl = "alerts/alertsindex";

    public override string? DocsUrl => Site + "/alerts/tableinfo";

    public override string ScoreDescription =>
        "Gaia Science Alerts have no score or probability, so this column stays empty (TOM showed 1.0 for every alert).";

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new BrokerForm
        {
            Intro = $"Search the archive of Gaia Science Alerts (2014–2025). Please see the table description ({DocsUrl}) "
                    + "for information about the alert fields.",
            Notice = ArchivalNotice,
            Fields =
            [
                new FormField("target_name", "Target Name") { Placeholder = "e.g. Gaia23dnw" },
                new FormField("cone", "Cone Search") { HelpText = "RA,Dec,radius in degrees", Placeholder = "e.g. 150.3,2.2,0.01" },
            ],
            Validate = Validate,
        });

    /// <summary>The form's "RA,Dec,radius" text, the radius in degrees.</summary>
    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { ["cone"] = string.Create(CultureInfo.InvariantCulture, $"{ra:R},{dec:R},{radiusArcsec / 3600:R}") };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        var name = parameters.GetString("target_name");
        var cone = parameters.GetString("cone");
        if (name is null && cone is null)
        {
            errors.Add(FormErrors.FormWide, NeitherMessage);
        }
        else if (name is not null && cone is not null)
        {
            errors.Add(FormErrors.FormWide, BothMessage);
        }
        if (cone is not null && GaiaCone.Parse(cone, out var coneError) is null)
        {
            errors.Add("cone", coneError!);
        }
    }

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Case-insensitive, unlike TOM: "gaia23" should find "Gaia23dnw".
        var name = parameters.GetString("target_name");
        var cone = parameters.GetString("cone") is { } coneText
            ? GaiaCone.Parse(coneText, out var error) ?? throw new BrokerException(error!)
            : null;

        foreach (var alert in await FetchIndexAsync(cancellationToken))
        {
            if (name is not null && JsonRead.String(alert["name"])?.Contains(name, StringComparison.OrdinalIgnoreCase) != true)
            {
                continue;
            }
            if (cone is not null
                && !(JsonRead.Double(alert["ra"]) is { } ra && JsonRead.Double(alert["dec"]) is { } dec && cone.Contains(ra, dec)))
            {
                continue;
            }
            yield return alert;
        }
    }

    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken) =>
        (await FetchIndexAsync(cancellationToken)).FirstOrDefault(a => JsonRead.String(a["name"]) == alertId);

    private async Task<List<JsonObject>> FetchIndexAsync(CancellationToken cancellationToken) =>
        GaiaIndex.Parse(await GetTextAsync(IndexUrl, cancellationToken));

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        var name = JsonRead.String(alert["name"]) ?? "";
        return new GenericAlert
        {
            Id = name,
            Name = name,
            Ra = JsonRead.Double(alert["ra"]),
            Dec = JsonRead.Double(alert["dec"]),
            Mag = JsonRead.Double(alert["alertMag"]),
            Band = JsonRead.Double(alert["alertMag"]) is null ? null : "G",
            Timestamp = DateTime.TryParseExact(JsonRead.String(alert["obstime"]), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var obstime) ? obstime : null,
            Url = PageUrl(alert, name),
            Score = null,
            Classification = JsonRead.String(alert["classification"]),
            // The alert team's class (free text, "unknown" until someone classifies it).
            Classifications = JsonRead.String(alert["classification"]) is { } cls && !cls.Equals("unknown", StringComparison.OrdinalIgnoreCase)
                ? [new AlertClassification(Name, "gsa_classification", null, cls, null)]
                : [],
        };
    }

    /// <summary>The alert's page on the configured host; TOM joined base and link into a double slash.</summary>
    private string? PageUrl(JsonObject alert, string name)
    {
        var link = JsonRead.String(alert["per_alert"]?["link"]) ?? (name.Length > 0 ? $"/alerts/alert/{Uri.EscapeDataString(name)}/" : null);
        return Http.BaseAddress is { } host && link is not null && Uri.TryCreate(host, link, out var url) ? url.ToString() : null;
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
        var extras = new Dictionary<string, string>();
        foreach (var (key, field) in new[]
                 {
                     ("classification", "classification"), ("alert_mag", "alertMag"), ("historic_mag", "historicMag"),
                     ("historic_std_dev", "historicStdDev"), ("tnsid", "tnsid"), ("comment", "comment"),
                 })
        {
            if (JsonRead.String(alert[field]) is { } value)
            {
                extras[key] = value;
            }
        }
        var generic = ToGenericAlert(alert);
        return new TargetCandidate
        {
            Name = generic.Name,
            Ra = generic.Ra,
            Dec = generic.Dec,
            Extras = extras,
            // The TNS designation names the same transient, so identity matching can find it by either name.
            Aliases = extras.TryGetValue("tnsid", out var tns) ? [tns] : [],
        };
    }

    public override async Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken) =>
        GaiaLightCurve.Parse(await GetTextAsync($"alerts/alert/{Uri.EscapeDataString(alertId)}/lightcurve.csv", cancellationToken));
}
