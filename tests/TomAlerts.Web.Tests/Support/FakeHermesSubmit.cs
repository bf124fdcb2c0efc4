using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Hermes under <see cref="Prefix"/>: without the token <c>Token …</c> a 403 (as DRF answers); <c>profile/</c> lists the
/// writable topics; <c>submit_message/</c> checks the required fields (400 nested like the body) and answers the
/// validated message with its uuid. Bodies received are kept in <paramref name="messages"/>.
/// </summary>
public static class FakeHermesSubmit
{
    public const string Prefix = "/hermes/api/v0";

    public static FakeBrokerServer MapHermesSubmit(this FakeBrokerServer server, ConcurrentQueue<JsonObject> messages) =>
        server.Map(Prefix + "/", async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Headers.Authorization != $"Token {TomAlertsFactory.HermesKey}")
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync(Fixtures.Read("hermes/error_403_invalid_token.json"));
                return;
            }
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/profile/", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync("""{"api_token": "hermes-test-token-123", "writable_topics": ["hermes.test"], "credential_name": "test"}""");
                return;
            }
            if (!path.EndsWith("/submit_message/", StringComparison.Ordinal) || context.Request.Method != "POST")
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("""{"detail": "Not found."}""");
                return;
            }
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            var errors = new JsonObject();
            foreach (var field in new[] { "title", "topic", "submitter" })
            {
                if (string.IsNullOrEmpty(body[field]?.GetValue<string>()))
                {
                    errors[field] = new JsonArray("This field may not be blank.");
                }
            }
            if (errors.Count > 0)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(errors.ToJsonString());
                return;
            }
            messages.Enqueue(body);
            body["uuid"] = JsonNode.Parse(Fixtures.Read("hermes/submit_message_response.json"))!["uuid"]!.DeepClone();
            await context.Response.WriteAsync(body.ToJsonString());
        });
}
