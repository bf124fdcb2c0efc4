using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// Sharing a target as a Hermes message (<c>POST submit_message/</c>, contract §5.1): the target with its position and
/// aliases, and all of its photometry or the detections of one band, as AB magnitudes. Hermes answers the validated
/// message with its <c>uuid</c>; a refusal is a 400 nested like the body, or an HTTP 200 with an <c>error</c>.
/// </summary>
public sealed partial class HermesBroker : ISubmitsTargets
{
    /// <summary>BROKERS:HERMES:submitter, the submitter a message names (the portal by default).</summary>
    public const string SubmitterSetting = "submitter";

    public const string Topic = "topic";
    public const string Title = "title";
    public const string Submitter = "submitter";
    public const string Authors = "authors";
    public const string MessageText = "message_text";
    public const string PhotometryChoice = "photometry";

    public const string AllPhotometry = "all";
    public const string NoPhotometry = "none";
    private const string DetectionsOf = "detections:";
    private const string AbMag = "AB mag";

    public async Task<BrokerForm> GetSubmissionFormAsync(SubmissionSubject subject, CancellationToken cancellationToken)
    {
        var (topics, notice) = await WritableTopicsAsync(cancellationToken);
        var bands = subject.Photometry.Where(p => p.Kind == PhotometryKind.Detection && p.Magnitude is not null)
            .Select(p => p.Bandpass).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new BrokerForm
        {
            Intro = "Shares this target and its photometry as a Hermes message on a topic you may write to. " + DocsUrl,
            Notice = notice,
            Fields =
            [
                topics.Count > 0
                    ? new FormField(Topic, "Topic", FieldKind.Choice) { Required = true, Choices = topics.Select(t => new FieldChoice(t, t)).ToList(), Initial = topics[0] }
                    : new FormField(Topic, "Topic") { Required = true, Placeholder = "hermes.test", HelpText = "A topic your Hermes account may write to." },
                new FormField(Title, "Title") { Required = true, Initial = $"Photometry of {subject.Name}" },
                new FormField(Submitter, "Submitter") { Required = true, Initial = Settings[SubmitterSetting] ?? "TomAlerts portal" },
                new FormField(Authors, "Authors"),
                new FormField(MessageText, "Message", FieldKind.TextArea),
                new FormField(PhotometryChoice, "Photometry", FieldKind.Choice)
                {
                    Required = true, Initial = AllPhotometry,
                    Choices = [new(AllPhotometry, "All points"), .. bands.Select(b => new FieldChoice(DetectionsOf + b, $"Detections in {b}")), new(NoPhotometry, "None")],
                },
            ],
        };
    }

    public async Task<SubmissionResult> SubmitAsync(SubmissionSubject subject, JsonObject parameters, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "submit_message/")
        {
            Content = new StringContent(Message(subject, parameters).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        Authorize(request);
        using var response = await SendAsync(request, cancellationToken);
        var body = await ReadBodyAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var reply = ParseJson(body);
            return new SubmissionResult(false, $"Hermes refused the message: {JsonRead.String(reply?["error"]) ?? string.Join("; ", Errors(reply, ""))}");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, body);
        }
        var answer = ParseJson(body) as JsonObject;
        if (JsonRead.String(answer?["error"]) is { } error)
        {
            // Hermes answers 200 with an error when the account cannot publish (no SCiMMA credential).
            return new SubmissionResult(false, $"Hermes refused the message: {error}");
        }
        return JsonRead.String(answer?["uuid"]) is { } uuid
            ? new SubmissionResult(true, $"Hermes published message {uuid} on {JsonRead.String(parameters[Topic])}.", uuid)
            : new SubmissionResult(false, "Hermes answered without a message uuid; the message may not have been published.");
    }

    /// <summary>The <c>submit_message/</c> body.</summary>
    public static JsonObject Message(SubmissionSubject subject, JsonObject parameters)
    {
        var choice = JsonRead.String(parameters[PhotometryChoice]) ?? AllPhotometry;
        var points = choice == NoPhotometry ? []
            : choice.StartsWith(DetectionsOf, StringComparison.Ordinal)
                ? subject.Photometry.Where(p => p.Kind == PhotometryKind.Detection && p.Magnitude is not null && p.Bandpass == choice[DetectionsOf.Length..])
                : subject.Photometry.Where(p => p.Magnitude is not null || p.Limit is not null);
        var target = new JsonObject { ["name"] = subject.Name };
        if (subject.Ra is { } ra && subject.Dec is { } dec)
        {
            target["ra"] = ra;
            target["dec"] = dec;
        }
        if (subject.Aliases.Count > 0)
        {
            target["aliases"] = new JsonArray([.. subject.Aliases.Select(a => (JsonNode)a)]);
        }
        return new JsonObject
        {
            [Title] = JsonRead.String(parameters[Title]),
            [Topic] = JsonRead.String(parameters[Topic]),
            [Submitter] = JsonRead.String(parameters[Submitter]),
            [Authors] = JsonRead.String(parameters[Authors]) ?? "",
            [MessageText] = JsonRead.String(parameters[MessageText]) ?? "",
            ["submit_to_tns"] = false,
            ["submit_to_mpc"] = false,
            ["submit_to_gcn"] = false,
            ["data"] = new JsonObject
            {
                ["targets"] = new JsonArray(target),
                ["photometry"] = new JsonArray([.. points.Select(p => (JsonNode)Point(subject.Name, p))]),
            },
        };
    }

    private static JsonObject Point(string targetName, PhotometryPoint p)
    {
        var row = new JsonObject
        {
            ["target_name"] = targetName,
            ["date_obs"] = p.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture),
            ["telescope"] = p.Telescope ?? p.Survey ?? "unknown",
            ["bandpass"] = p.Bandpass,
        };
        if (p.Magnitude is { } magnitude)
        {
            row["brightness"] = magnitude;
            if (p.MagnitudeError is { } error)
            {
                row["brightness_error"] = error;
            }
            row["brightness_unit"] = AbMag;
        }
        else
        {
            row["limiting_brightness"] = p.Limit;
            row["limiting_brightness_unit"] = AbMag;
        }
        return row;
    }

    /// <summary>A DRF error body nested like the message, as "data.photometry[1].telescope: message" lines.</summary>
    private static IEnumerable<string> Errors(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(kv => Errors(kv.Value, path.Length == 0 ? kv.Key : $"{path}.{kv.Key}")),
        JsonArray a when a.All(v => v is JsonValue) => a.Select(v => $"{path}: {JsonRead.String(v)}"),
        JsonArray a => a.SelectMany((v, i) => Errors(v, $"{path}[{i}]")),
        JsonValue v => [$"{path}: {JsonRead.String(v)}"],
        _ => [],
    };

    /// <summary>The topics the token's account may write to (<c>profile/</c>); none, with a notice, when they cannot be read.</summary>
    private async Task<(IReadOnlyList<string> Topics, string? Notice)> WritableTopicsAsync(CancellationToken cancellationToken)
    {
        if (Settings[ApiKeySetting] is null)
        {
            return ([], $"Hermes is not configured: {Settings.Section.Path}:{ApiKeySetting} (the API token of your Hermes profile) is missing, so nothing can be sent.");
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "profile/");
            Authorize(request);
            var profile = await SendJsonAsync(request, cancellationToken);
            return ((profile?["writable_topics"] as JsonArray ?? []).Select(JsonRead.String).OfType<string>().ToList(), null);
        }
        catch (BrokerException e)
        {
            return ([], $"Your Hermes topics could not be read ({e.Message}); enter a topic.");
        }
    }

    private void Authorize(HttpRequestMessage request) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Token",
            Settings[ApiKeySetting] ?? throw new BrokerNotConfiguredException(
                $"Hermes is not configured: {Settings.Section.Path}:{ApiKeySetting} (the API token of your Hermes profile) is missing."));
}
