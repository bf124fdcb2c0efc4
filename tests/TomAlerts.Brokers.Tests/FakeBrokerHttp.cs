using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace TomAlerts.Brokers.Tests;

/// <summary>
/// A stubbed HTTP handler that answers each request from a list of routes and records what was sent,
/// so tests can assert the outgoing URL, headers and body.
/// </summary>
public sealed class FakeBrokerHttp : HttpMessageHandler
{
    private readonly List<(Func<HttpRequestMessage, bool> Match, Func<HttpRequestMessage, HttpResponseMessage> Respond)> _routes = [];

    public List<RecordedRequest> Requests { get; } = [];

    public FakeBrokerHttp On(Func<HttpRequestMessage, bool> match, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _routes.Add((match, respond));
        return this;
    }

    /// <summary>Answers requests whose path and query contain <paramref name="pathAndQuery"/>.</summary>
    public FakeBrokerHttp On(string pathAndQuery, HttpStatusCode status, string body, string contentType = "application/json") =>
        On(r => r.RequestUri!.PathAndQuery.Contains(pathAndQuery, StringComparison.Ordinal), _ => Respond(status, body, contentType));

    public static HttpResponseMessage Respond(HttpStatusCode status, string body, string contentType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), body));
        foreach (var (match, respond) in _routes)
        {
            if (match(request))
            {
                return respond(request);
            }
        }
        return Respond(HttpStatusCode.NotFound, """{"message": "no fake route for this request"}""");
    }

    /// <summary>A broker of type <typeparamref name="T"/> talking to this handler, with the given BROKERS:&lt;NAME&gt; settings.</summary>
    public T Broker<T>(IDictionary<string, string?>? settings = null, params object[] services) where T : IBroker
    {
        var attribute = (BrokerAttribute)Attribute.GetCustomAttribute(typeof(T), typeof(BrokerAttribute))!;
        var section = BrokerSettings.SectionName(attribute.Name);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection((settings ?? new Dictionary<string, string?>()).ToDictionary(kv => $"{section}:{kv.Key}", kv => kv.Value))
            .Build();
        var brokerSettings = new BrokerSettings(configuration.GetSection(section), attribute);
        var http = new HttpClient(this) { BaseAddress = brokerSettings.BaseUrl };
        return (T)Activator.CreateInstance(typeof(T), [http, brokerSettings, .. services])!;
    }
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);
