using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// The built TomAlerts.Web.dll started as its own process, the way an operator starts it, and reached over HTTP on a
/// free 127.0.0.1 port: for what an in-process app cannot show (a SIGKILL, the logging of a whole process).
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, PageSession page)
    {
        _process = process;
        Page = page;
    }

    public PageSession Page { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AppProcess> StartAsync(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TomAlerts.Web.dll"));
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
        var app = new AppProcess(process, new PageSession(client));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Poll.UntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, "The app stopped while starting: " + app.Output);
                try
                {
                    using var response = await client.GetAsync("/account/login");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            listening => listening,
            _ => "The app did not start listening.");
        return app;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async Task RegisterAsync(string email)
    {
        using var response = await Page.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public async Task LogInAsync(string email)
    {
        using var response = await Page.LogInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Saves a shared query through the form; returns its id (the newest on the list).</summary>
    public async Task<int> SaveQueryAsync(string broker, string name, Dictionary<string, string> fields)
    {
        var all = new Dictionary<string, string>(fields) { ["broker"] = broker, ["query_name"] = name, ["visibility"] = "Shared" };
        using var response = await Page.PostFormAsync($"/alerts/query/create/?broker={broker}", "/alerts/query/create/", all);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, list) = await Page.GetAsync("/alerts/query/list/");
        var match = RunLink().Match(list);
        Assert.True(match.Success, "The saved query is not on the list.");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public Task<long> StartRunAsync(int queryId) => Page.StartRunAsync(queryId);

    /// <summary>Follows the run's status, as the run page does, until it ends.</summary>
    public Task WaitForRunAsync(long runId) => Page.WaitForRunAsync(runId);

    public Task<HttpResponseMessage> CreateTargetsAsync(long runId, string[] alertIds) => Page.CreateTargetsAsync(runId, alertIds);

    /// <summary>SIGKILL: no shutdown hooks, no flush, as a power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it: the app shuts down in order and its logs are flushed.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Page.Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"/alerts/query/(\d+)/run/")]
    private static partial Regex RunLink();
}
