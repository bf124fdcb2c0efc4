using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TomAlerts.Brokers.Gaia;

/// <summary>Reads the alert list that the index page embeds as <c>var alerts = [...];</c> in a script.</summary>
internal static partial class GaiaIndex
{
    public static List<JsonObject> Parse(string html)
    {
        var marker = AlertsMarker().Match(html);
        if (!marker.Success)
        {
            throw new BrokerException(BrokerMessages.IndexWithoutAlerts("Gaia"),
                $"Gaia's alert index page has no 'var alerts = [...]' list; the page layout may have changed. It begins: {BrokerHttp.Snippet(html)}");
        }
        // A JSON reader stops at the array's own end, so a "];" inside a comment string cannot cut the list short.
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(html[(marker.Index + marker.Length - 1)..]),
            new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            var alerts = JsonNode.Parse(ref reader) as JsonArray
                         ?? throw new BrokerException(BrokerMessages.Unreadable("Gaia"), "Gaia's alert index list is not an array.");
            var objects = alerts.OfType<JsonObject>().ToList();
            alerts.Clear(); // detach, so callers may store the alerts elsewhere
            return objects;
        }
        catch (JsonException e)
        {
            throw new BrokerException(BrokerMessages.Unreadable("Gaia"), $"Gaia's alert index list could not be read as JSON: {e.Message}");
        }
    }

    [GeneratedRegex(@"var\s+alerts\s*=\s*\[")]
    private static partial Regex AlertsMarker();
}
