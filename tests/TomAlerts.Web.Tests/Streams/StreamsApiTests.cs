using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Streams;

public class StreamsApiTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    private static async Task<JsonElement> CreateAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/streams", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Create_LasairTopic_Is201WithIdStatusAndRunId_AndAHiddenStreamQuery()
    {
        var api = await factory.ApiUserAsync();
        var name = Unique("SN filter");

        using var response = await api.Api.PostAsJsonAsync("/api/v1/streams", new { name, source = "lasair", topics = new[] { "lasair_42sn_candidates" } });
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetInt32();
        var saved = await factory.WithDbAsync(db => db.StreamSubscriptions.AsNoTracking().Include(s => s.Query).SingleAsync(s => s.Id == id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/streams/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("starting", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("runId").ValueKind);
        Assert.True(saved.Enabled);
        Assert.Equal(StreamSource.Lasair, saved.Source);
        Assert.Equal(["lasair_42sn_candidates"], saved.TopicList);
        Assert.Equal($"tomalerts-{name}", saved.GroupId);
        Assert.Equal(api.User.Id, saved.OwnerId);
        Assert.True(saved.Query!.IsStream);
        Assert.Equal("Lasair", saved.Query.Broker);
    }

    [Fact]
    public async Task Create_MissingNameAndBadTopic_Is400WithEachFieldAndNothingSaved()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/streams", new { name = "", source = "lasair", topics = new[] { "good_topic", "bad topic!" } });
        var fields = await response.ErrorFieldsAsync();
        var errors = (await response.JsonAsync()).GetProperty("errors");

        Assert.Equal(["name", "topics"], fields.Order(StringComparer.Ordinal));
        Assert.Contains("\"bad topic!\" is not a Kafka topic name", errors.GetProperty("topics")[0].GetString(), StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.StreamSubscriptions.AnyAsync(s => s.Topics.Contains("good_topic"))));
    }

    [Theory]
    [InlineData(null, new string[0], "source", "topics")]
    [InlineData("pulsar", new[] { "x" }, "source", null)]
    [InlineData("kafka", new[] { "my_team.alerts" }, "broker", null)]
    public async Task Create_BadSourceNoTopicsOrNoBrokerForKafka_Is400OnThatField(string? source, string[] topics, string field, string? other)
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/streams", new { name = Unique("x"), source, topics });
        var fields = await response.ErrorFieldsAsync();

        Assert.Contains(field, fields);
        if (other is not null)
        {
            Assert.Contains(other, fields);
        }
    }

    [Fact]
    public async Task Create_FilterFieldTheBrokerFormLacks_Is400OnThatFilterField()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/streams",
            new { name = Unique("filtered"), source = "Lasair", topics = new[] { "lasair_1sn" }, filter = new { no_such_field = "1" } });

        Assert.Equal(["filter.no_such_field"], await response.ErrorFieldsAsync());
    }

    [Theory]
    [InlineData("Antares", "lsst_scimma_quality_transient", "ANTARES stream key and secret", "STREAMS:ANTARES:sasl_username")]
    [InlineData("Hopskotch", "igwn.gwalert", "user name and password", "STREAMS:HOPSKOTCH:sasl_password")]
    [InlineData("Gcn", "gcn.notices.einstein_probe.wxt.alert", "OIDC client id and secret", "STREAMS:GCN:sasl_oauthbearer_client_id")]
    public async Task Start_SourceWithoutCredentials_SaysWhatIsMissingAndStaysSaved(string source, string topic, string missing, string setting)
    {
        var api = await factory.ApiUserAsync();
        var created = await CreateAsync(api.Api, new { name = Unique(source), source, topics = new[] { topic }, start = false });
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal("stopped", created.GetProperty("status").GetString());

        using var started = await api.Api.PostAsync($"/api/v1/streams/{id}/start", null);
        var body = await started.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal("failing", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.Contains(missing, body.GetProperty("statusMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains(setting, body.GetProperty("statusMessage").GetString(), StringComparison.Ordinal);
        Assert.True(await factory.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == id).Select(s => s.Enabled).SingleAsync()));
    }

    [Fact]
    public async Task Start_WithOwnCredentials_NothingMissing_AndStopStopsIt()
    {
        var api = await factory.ApiUserAsync();
        var created = await CreateAsync(api.Api, new
        {
            name = Unique("hop"), source = "Hopskotch", topics = new[] { "igwn.gwalert" },
            credentials = new { username = "alice-scimma", password = "hop-secret-value" },
        });
        var id = created.GetProperty("id").GetInt32();

        using var stopped = await api.Api.PostAsync($"/api/v1/streams/{id}/stop", null);
        var stoppedBody = await stopped.JsonAsync();

        Assert.Equal("starting", created.GetProperty("status").GetString());
        Assert.Equal("stopped", stoppedBody.GetProperty("status").GetString());
        Assert.False(stoppedBody.GetProperty("enabled").GetBoolean());
        Assert.True(stoppedBody.GetProperty("ownCredentials").GetBoolean());
        var groupId = await factory.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == id).Select(s => s.GroupId).SingleAsync());
        Assert.StartsWith("alice-scimma-", groupId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_NeverInAnyResponseOrPage_NorStoredInTheClear()
    {
        var api = await factory.ApiUserAsync();
        const string secret = "gcn-client-secret-7f3a9";
        const string clientId = "gcn-client-id-2b8c1";
        var created = await CreateAsync(api.Api, new
        {
            name = Unique("gcn"), source = "Gcn", topics = new[] { "igwn.gwalert" }, credentials = new { clientId, clientSecret = secret },
        });
        var id = created.GetProperty("id").GetInt32();

        var texts = new List<string> { created.GetRawText() };
        foreach (var url in new[] { "/api/v1/streams", $"/api/v1/streams/{id}" })
        {
            texts.Add(await api.Api.GetStringAsync(url));
        }
        using (var started = await api.Api.PostAsync($"/api/v1/streams/{id}/start", null))
        {
            texts.Add(await started.Content.ReadAsStringAsync());
        }
        foreach (var page in new[] { "/streams/", $"/streams/{id}/", "/brokers/", $"/streams/{id}/delete/" })
        {
            texts.Add((await api.User.Page.GetAsync(page)).Html);
        }
        var stored = await factory.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == id).Select(s => s.ProtectedCredentials).SingleAsync());

        Assert.All(texts, t => Assert.DoesNotContain(secret, t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain(clientId, t, StringComparison.Ordinal));
        Assert.NotNull(stored);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        // The source lacks nothing once the subscriber's own client is given.
        Assert.Equal("starting", JsonDocument.Parse(texts[3]).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Private_AnotherUsersSubscription_Is404EverywhereAndNotListed()
    {
        var owner = await factory.ApiUserAsync();
        var other = await factory.ApiUserAsync();
        var name = Unique("mine only");
        var id = (await CreateAsync(owner.Api, new { name, source = "Fink", topics = new[] { "fink_early_sn_candidates_ztf" }, visibility = "private" }))
            .GetProperty("id").GetInt32();

        using var get = await other.Api.GetAsync($"/api/v1/streams/{id}");
        using var start = await other.Api.PostAsync($"/api/v1/streams/{id}/start", null);
        using var delete = await other.Api.DeleteAsync($"/api/v1/streams/{id}");
        var listed = await other.Api.GetStringAsync("/api/v1/streams");
        var (pageStatus, _) = await other.User.Page.GetAsync($"/streams/{id}/");

        ApiSupport.AssertProblem(get, HttpStatusCode.NotFound);
        ApiSupport.AssertProblem(start, HttpStatusCode.NotFound);
        ApiSupport.AssertProblem(delete, HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, pageStatus);
        Assert.Contains(name, await owner.Api.GetStringAsync("/api/v1/streams"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shared_AnotherUsersSubscription_IsSeenButNotChanged()
    {
        var owner = await factory.ApiUserAsync();
        var other = await factory.ApiUserAsync();
        var id = (await CreateAsync(owner.Api, new { name = Unique("shared"), source = "Lasair", topics = new[] { "lasair_7x" } })).GetProperty("id").GetInt32();

        using var get = await other.Api.GetAsync($"/api/v1/streams/{id}");
        using var stop = await other.Api.PostAsync($"/api/v1/streams/{id}/stop", null);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False((await get.JsonAsync()).GetProperty("canChange").GetBoolean());
        ApiSupport.AssertProblem(stop, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Get_ShowsCountsRunAndDeadLetters()
    {
        var api = await factory.ApiUserAsync();
        var id = (await CreateAsync(api.Api, new { name = Unique("stats"), source = "Lasair", topics = new[] { "lasair_1a" } })).GetProperty("id").GetInt32();
        var received = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        await factory.WithDbAsync(async db =>
        {
            var s = await db.StreamSubscriptions.SingleAsync(x => x.Id == id);
            var run = new QueryRun { BrokerQueryId = s.BrokerQueryId, Status = RunStatus.Running, Created = received };
            db.QueryRuns.Add(run);
            await db.SaveChangesAsync();
            s.CurrentRunId = run.Id;
            s.State = StreamState.Consuming;
            s.MessagesConsumed = 12;
            s.Lag = 3;
            s.LastMessageAt = received;
            for (var offset = 0; offset < 12; offset++)
            {
                db.StreamDeadLetters.Add(new StreamDeadLetter { StreamSubscriptionId = id, Topic = "lasair_1a", Partition = 0, Offset = offset, Received = received, Reason = $"not JSON {offset}" });
            }
            return await db.SaveChangesAsync();
        });

        var body = (await (await api.Api.GetAsync($"/api/v1/streams/{id}")).JsonAsync());
        var letters = body.GetProperty("deadLetters");

        Assert.Equal("consuming", body.GetProperty("status").GetString());
        Assert.Equal(12, body.GetProperty("messagesConsumed").GetInt64());
        Assert.Equal(3, body.GetProperty("lag").GetInt64());
        Assert.True(body.GetProperty("runId").GetInt64() > 0);
        Assert.Equal(12, letters.GetProperty("count").GetInt32());
        Assert.Equal(10, letters.GetProperty("latest").GetArrayLength());
        Assert.Equal("not JSON 11", letters.GetProperty("latest")[0].GetProperty("reason").GetString());
        Assert.Equal(11, letters.GetProperty("latest")[0].GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task Delete_RemovesSubscriptionQueryRunsAndDeadLetters()
    {
        var api = await factory.ApiUserAsync();
        var id = (await CreateAsync(api.Api, new { name = Unique("gone"), source = "Lasair", topics = new[] { "lasair_1b" } })).GetProperty("id").GetInt32();
        var queryId = await factory.WithDbAsync(async db =>
        {
            var s = await db.StreamSubscriptions.SingleAsync(x => x.Id == id);
            db.QueryRuns.Add(new QueryRun { BrokerQueryId = s.BrokerQueryId, Status = RunStatus.Running, Created = DateTime.UtcNow });
            db.StreamDeadLetters.Add(new StreamDeadLetter { StreamSubscriptionId = id, Topic = "lasair_1b", Offset = 1, Received = DateTime.UtcNow, Reason = "bad" });
            await db.SaveChangesAsync();
            return s.BrokerQueryId;
        });

        using var deleted = await api.Api.DeleteAsync($"/api/v1/streams/{id}");
        using var after = await api.Api.GetAsync($"/api/v1/streams/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        ApiSupport.AssertProblem(after, HttpStatusCode.NotFound);
        Assert.False(await factory.WithDbAsync(db => db.BrokerQueries.AnyAsync(q => q.Id == queryId)));
        Assert.False(await factory.WithDbAsync(db => db.QueryRuns.AnyAsync(r => r.BrokerQueryId == queryId)));
        Assert.False(await factory.WithDbAsync(db => db.StreamDeadLetters.AnyAsync(l => l.StreamSubscriptionId == id)));
    }

    [Fact]
    public async Task StreamQuery_NotListedWithTheQueries_AndNotRun()
    {
        var api = await factory.ApiUserAsync();
        var name = Unique("hidden query");
        var id = (await CreateAsync(api.Api, new { name, source = "Lasair", topics = new[] { "lasair_1c" } })).GetProperty("id").GetInt32();
        var queryId = await factory.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == id).Select(s => s.BrokerQueryId).SingleAsync());

        var apiList = await api.Api.GetStringAsync("/api/v1/queries?pageSize=500");
        var (_, page) = await api.User.Page.GetAsync("/alerts/query/list/");
        using var run = await api.Api.PostAsync($"/api/v1/queries/{queryId}/runs", null);

        Assert.DoesNotContain(name, apiList, StringComparison.Ordinal);
        Assert.DoesNotContain(name, page, StringComparison.Ordinal);
        ApiSupport.AssertProblem(run, HttpStatusCode.NotFound);
        Assert.False(await factory.WithDbAsync(db => db.QueryRuns.AnyAsync(r => r.BrokerQueryId == queryId)));
    }
}
