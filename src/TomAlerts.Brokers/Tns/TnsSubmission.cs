using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;

namespace TomAlerts.Brokers.Tns;

/// <summary>
/// Reporting a target to TNS (an AT report): the form from <see cref="TnsReport"/>, sent to <c>set/bulk-report</c>;
/// the reply is then polled a bounded number of times for the name TNS gave, as Hermes and tom_tns do.
/// </summary>
public sealed partial class TnsBroker
{
    /// <summary>BROKERS:TNS:reporter, the reporter line pre-filled in an AT report ("A. Name (Inst.) on behalf of …").</summary>
    public const string ReporterSetting = "reporter";
    /// <summary>BROKERS:TNS:group_name, the reporting group (its name as TNS lists it, or its id).</summary>
    public const string GroupNameSetting = "group_name";

    /// <summary>How often a report's reply is asked for before giving up, and the wait between: TNS answers 404 until it processed the report.</summary>
    public const int ReplyAttempts = 10;
    public static readonly TimeSpan ReplyInterval = TimeSpan.FromSeconds(1);

    private const string ValuesMethod = "get/values";
    private const string ReportMethod = "set/bulk-report";
    private const string ReplyMethod = "get/bulk-report-reply";

    public async Task<BrokerForm> GetSubmissionFormAsync(SubmissionSubject subject, CancellationToken cancellationToken) =>
        TnsReport.Form(subject, await ValuesAsync(cancellationToken), Settings[ReporterSetting], Settings[GroupNameSetting], DocsUrl);

    public async Task<SubmissionResult> SubmitAsync(SubmissionSubject subject, JsonObject parameters, CancellationToken cancellationToken)
    {
        var api = Api();
        var unit = (await ValuesAsync(cancellationToken))?.AbMagUnitId ?? TnsReport.DefaultAbMagUnitId;
        var sent = await PostAsync(api, ReportMethod, TnsReport.Build(parameters, unit), null, cancellationToken);
        if (JsonRead.String((sent as JsonObject)?["report_id"]) is not { } reportId)
        {
            return new SubmissionResult(false, "TNS accepted the request but gave no report id.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var result = await ReplyAsync(api, reportId, cancellationToken);
            if (!result.Pending)
            {
                return result;
            }
            if (attempt == ReplyAttempts)
            {
                return result with
                {
                    Message = $"TNS received AT report {reportId} but had not processed it after {ReplyAttempts} tries; ask again from the target's history for the name TNS gives it.",
                };
            }
            await Task.Delay(ReplyInterval, timeProvider, cancellationToken);
        }
    }

    public Task<SubmissionResult> CheckSubmissionAsync(string reference, CancellationToken cancellationToken) =>
        ReplyAsync(Api(), reference, cancellationToken);

    /// <summary>One ask of <c>get/bulk-report-reply</c>: TNS answers 404 until it has processed the report, then the names or the rejection.</summary>
    private async Task<SubmissionResult> ReplyAsync(TnsApi api, string reportId, CancellationToken cancellationToken)
    {
        var (status, body) = await ExchangeAsync(api, ReplyMethod, () => api.CreateRequest(ReplyMethod, "report_id", reportId), null, cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            return new SubmissionResult(true, $"TNS received AT report {reportId} and has not processed it yet.", reportId) { Pending = true };
        }
        var payload = (ParseJson(body) as JsonObject)?["data"];
        if (status == HttpStatusCode.OK)
        {
            var names = TnsReport.Names(payload);
            return new SubmissionResult(true,
                names.Count == 0 ? $"TNS processed AT report {reportId}." : $"TNS processed AT report {reportId}: {names[0]}.", reportId) { Names = names };
        }
        if (status == HttpStatusCode.BadRequest)
        {
            return new SubmissionResult(false, $"TNS rejected AT report {reportId}: {TnsReport.Rejection(payload) ?? Failure(status, body).Message}", reportId);
        }
        throw Failure(status, body);
    }

    /// <summary>How long TNS's lists are kept: they change when TNS adds an instrument or a group, and every call counts against the bot's rate limit.</summary>
    public static readonly TimeSpan ValuesCacheDuration = TimeSpan.FromHours(6);

    /// <summary>TNS's lists of groups, filters, instruments and units; null when they cannot be read (the form then asks for ids).</summary>
    private async Task<TnsReport.Values?> ValuesAsync(CancellationToken cancellationToken)
    {
        var key = $"tns-values:{Settings.BaseUrl}";
        if (cache.TryGetValue(key, out TnsReport.Values? cached) && cached is not null)
        {
            return cached;
        }
        try
        {
            var reply = await GetJsonAsync(ValuesMethod, cancellationToken);
            var values = TnsReport.Values.From((reply as JsonObject)?["data"]);
            if (values is not null)
            {
                cache.Set(key, values, ValuesCacheDuration);
            }
            return values;
        }
        catch (BrokerException e)
        {
            LogValuesUnavailable(logger, e.Message);
            return null;
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "TNS lists (get/values) could not be read: {Reason}")]
    private static partial void LogValuesUnavailable(Microsoft.Extensions.Logging.ILogger logger, string reason);
}
