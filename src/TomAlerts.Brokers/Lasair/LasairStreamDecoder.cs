using System.Text.Json.Nodes;
using TomAlerts.Brokers.Streams;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// A Lasair filter's Kafka topic (<c>lasair_&lt;user&gt;&lt;filter&gt;</c>). Each message is a JSON object: the filter's
/// SELECTed columns and <c>UTC</c>; with the "lite" option also <c>alert{diaSourcesList, diaForcedSourcesList}</c>,
/// with "full" the whole alert. Without an alert the message is a search's list row, read as one. With an alert it
/// becomes an object reply: the columns as <c>lasairData</c> (ZTF: <c>objectData</c>) beside the alert's light curve,
/// so the light curve reaches the photometry without a call to Lasair. LSST rows carry <c>diaObjectId</c>, ZTF rows
/// <c>objectId</c>.
/// </summary>
public sealed class LasairStreamDecoder : IStreamDecoder
{
    private const string What = "Lasair filter's message";

    public StreamSource Source => StreamSource.Lasair;

    public string? Broker => "Lasair";

    public IReadOnlyList<JsonObject> Decode(StreamMessage message)
    {
        var row = StreamJson.Object(message, What);
        if (LasairLsst.IsLsstObject(row) || row["alert"]?["diaObject"] is JsonObject)
        {
            if (LasairLsst.Id(row) is null && row["alert"]?["diaObject"] is JsonObject diaObject && LasairLsst.Id(diaObject) is not null)
            {
                row["diaObjectId"] = diaObject["diaObjectId"]!.DeepClone();
            }
            if (LasairLsst.Id(row) is null)
            {
                throw new StreamMessageException("The message's diaObjectId is not an LSST id (digits).");
            }
            return [Lsst(row)];
        }
        if (LasairObject.Id(row) is null)
        {
            throw new StreamMessageException(
                "The message names no object: a Lasair filter streamed to TomAlerts must SELECT objects.objectId (ZTF) or objects.diaObjectId (LSST).");
        }
        return [Ztf(row)];
    }

    /// <summary>The selected columns, without the alert and Lasair's send time.</summary>
    private static JsonObject Columns(JsonObject row)
    {
        var columns = new JsonObject();
        foreach (var (key, value) in row)
        {
            if (key is not ("alert" or "UTC"))
            {
                columns[key] = value?.DeepClone();
            }
        }
        return columns;
    }

    private static JsonObject Lsst(JsonObject row)
    {
        if (row["alert"] is not JsonObject alert)
        {
            return row;
        }
        var reply = Columns(row);
        var data = Columns(row);
        // A filter joining sherlock_classifications selects its class as "classification"; the reply keeps it under sherlock.
        if (JsonRead.String(data["classification"]) is { } sherlock)
        {
            data["sherlock"] = new JsonObject { ["classification"] = sherlock };
        }
        reply["lasairData"] = data;
        reply["diaSourcesList"] = alert["diaSourcesList"]?.DeepClone() ?? new JsonArray();
        reply["diaForcedSourcesList"] = alert["diaForcedSourcesList"]?.DeepClone() ?? new JsonArray();
        if (alert["diaObject"] is JsonObject diaObject)
        {
            reply["diaObject"] = diaObject.DeepClone();
        }
        reply["UTC"] = row["UTC"]?.DeepClone();
        return reply;
    }

    private static JsonObject Ztf(JsonObject row)
    {
        if (row["alert"] is not JsonObject alert)
        {
            return row;
        }
        var candidates = alert["candidates"] is JsonArray listed ? (JsonArray)listed.DeepClone() : ZtfCandidates(alert);
        if (candidates.Count == 0)
        {
            return Columns(row);
        }
        var reply = Columns(row);
        var data = Columns(row);
        if (JsonRead.String(data["classification"]) is { } sherlock)
        {
            reply["sherlock"] = new JsonObject { ["classification"] = sherlock };
        }
        reply["objectData"] = data;
        reply["candidates"] = candidates;
        reply["UTC"] = row["UTC"]?.DeepClone();
        return reply;
    }

    /// <summary>
    /// A ZTF alert's <c>candidate</c> and <c>prv_candidates</c> as the object page's candidate rows: a row without a
    /// <c>candid</c> is a non-detection (its limit in <c>diffmaglim</c>).
    /// </summary>
    private static JsonArray ZtfCandidates(JsonObject alert)
    {
        var rows = new JsonArray();
        IEnumerable<JsonObject> all = JsonRead.Objects(alert["prv_candidates"]);
        if (alert["candidate"] is JsonObject candidate)
        {
            all = all.Append(candidate);
        }
        foreach (var c in all)
        {
            var row = new JsonObject();
            foreach (var key in (string[])["candid", "jd", "fid", "magpsf", "sigmapsf", "diffmaglim", "ra", "dec", "isdiffpos"])
            {
                if (c[key] is { } value)
                {
                    row[key] = value.DeepClone();
                }
            }
            rows.Add(row);
        }
        return rows;
    }
}
