using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Bench;

/// <summary>
/// Pages through the real HTTP pipeline: the Release build of TomAlerts.Web started as its own process on 127.0.0.1
/// (Production environment) over the seeded database, an administrator created with its <c>users create</c> command (the
/// seeded targets belong to no group, and an administrator sees every target), a cookie
/// from the log-in form, and requests timed one at a time with HttpClient.
/// </summary>
internal static partial class PagesBench
{
    public const string Email = "bench@example.org";
    public const string Password = "Sup3rnova!bench";

    public static async Task RunAsync(string provider, string connectionString, int count, int samples, string? webDll)
    {
        await using var web = await WebProcess.StartAsync(provider, connectionString, webDll);
        using var client = await web.LoginAsync();
        var random = new Random(7);

        // Follow the "Next" links (keyset cursors) to the deepest page up to 1,000, as a reader paging would.
        var pages = Math.Min(1000, new Paging(1, 50, count).PageCount);
        var url = "/targets/";
        var follow = Stopwatch.StartNew();
        for (var page = 1; page < pages; page++)
        {
            var html = await GetAsync(client, url);
            var next = NextLink().Match(html);
            if (!next.Success)
            {
                throw new InvalidOperationException($"page {page} of the target list has no Next link");
            }
            url = WebUtility.HtmlDecode(next.Groups[1].Value);
        }
        follow.Stop();
        var deep = url;
        var longCurve = TargetSeeder.LongCurveTarget(count);
        var picks = Enumerable.Range(0, samples).Select(_ => random.Next(count)).ToList();

        Console.WriteLine();
        Console.WriteLine($"### Pages through HTTP at {count:N0} targets ({samples} sequential requests each, after 10 warm-up requests; TomAlerts.Web Release, Production, 127.0.0.1)");
        Console.WriteLine();
        Console.WriteLine($"Followed {pages - 1} Next links to keyset page {pages} in {follow.Elapsed.TotalSeconds:0.0} s ({follow.Elapsed.TotalMilliseconds / Math.Max(1, pages - 1):0.0} ms a page): {deep}");
        Console.WriteLine();
        Console.WriteLine(Samples.Header);
        var fixedInputs = Enumerable.Range(0, samples).ToList();
        var staticFile = await Samples.TimeAsync("static file /lib/bootstrap/bootstrap.min.css (≈230 kB)", fixedInputs, _ => GetAsync(client, "/lib/bootstrap/bootstrap.min.css"));
        var favicon = await Samples.TimeAsync("static file /favicon.ico", fixedInputs, _ => GetAsync(client, "/favicon.ico"));
        var rows = new List<Samples>
        {
            await Samples.TimeAsync("/targets/ (page 1)", fixedInputs, _ => GetAsync(client, "/targets/")),
            await Samples.TimeAsync($"/targets/?after=… (keyset page {pages})", fixedInputs, _ => GetAsync(client, deep)),
            await Samples.TimeAsync("/api/v1/targets?page=1 (offset)", fixedInputs, _ => GetAsync(client, "/api/v1/targets?page=1")),
            await Samples.TimeAsync($"/api/v1/targets?page={pages} (offset)", fixedInputs, _ => GetAsync(client, $"/api/v1/targets?page={pages}")),
            await Samples.TimeAsync($"/targets/{longCurve}/ (target page, {TargetSeeder.LongCurvePoints:N0} points)", fixedInputs, _ => GetAsync(client, $"/targets/{longCurve}/")),
            await Samples.TimeAsync($"/targets/{longCurve}/lightcurve/ (its plot's {TargetSeeder.LongCurvePoints:N0} points, JSON)", fixedInputs, _ => GetAsync(client, $"/targets/{longCurve}/lightcurve/")),
            await Samples.TimeAsync("… the page, then its light curve (what a visitor waits for, scripts cached)", fixedInputs, async _ =>
            {
                await GetAsync(client, $"/targets/{longCurve}/");
                await GetAsync(client, $"/targets/{longCurve}/lightcurve/");
            }),
            await Samples.TimeAsync("/targets/?name=<a name> (name search)", picks, i => GetAsync(client, "/targets/?name=" + Uri.EscapeDataString(TargetSeeder.NameOf(i, count)))),
            await Samples.TimeAsync("/targets/?name=<an alias> (alias search)", picks, i => GetAsync(client, "/targets/?name=" + Uri.EscapeDataString(TargetSeeder.AliasOf(i, count, 0)))),
            await Samples.TimeAsync("/targets/?ra=…&dec=…&radius=60 (1′ cone)", picks, i =>
            {
                var (ra, dec) = TargetSeeder.PositionOf(i);
                return GetAsync(client, FormattableString.Invariant($"/targets/?ra={ra:0.000000}&dec={dec:0.000000}&radius=60"));
            }),
        };
        Console.WriteLine(staticFile.Row(null));
        Console.WriteLine(favicon.Row(null));
        foreach (var row in rows)
        {
            Console.WriteLine(row.Row(favicon));
        }
        Console.WriteLine();
        Console.WriteLine("Baseline column: the tiny static file /favicon.ico from the same app (the pipeline's floor: socket, Kestrel, static files).");
    }

    private static async Task<string> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("href=\"([^\"]*after=[^\"]*)\" rel=\"next\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]*)\"")]
    private static partial Regex Token();

    /// <summary>The built TomAlerts.Web as a child process on a free loopback port.</summary>
    internal sealed class WebProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _logs;

        private WebProcess(Process process, string baseUrl, string logs)
        {
            _process = process;
            BaseUrl = baseUrl;
            _logs = logs;
        }

        public string BaseUrl { get; }

        public static string FindWebDll(string? given)
        {
            var candidates = new[]
            {
                given,
                Path.Combine(AppContext.BaseDirectory, "..", "..", "TomAlerts.Web", "release", "TomAlerts.Web.dll"), // --artifacts-path layout
                Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "TomAlerts.Web", "bin", "Release", "net10.0", "TomAlerts.Web.dll"),
            };
            return candidates.Where(c => c is not null).Select(c => Path.GetFullPath(c!)).FirstOrDefault(File.Exists)
                   ?? throw new FileNotFoundException("TomAlerts.Web.dll (Release) not found; build it or pass --web <path to TomAlerts.Web.dll>");
        }

        public static async Task<WebProcess> StartAsync(string provider, string connectionString, string? webDll)
        {
            var dll = FindWebDll(webDll);
            var port = FreePort();
            var logs = Path.Combine(Path.GetTempPath(), $"tomalerts-bench-logs-{Guid.NewGuid():N}");
            var env = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Default"] = connectionString,
                ["Database__Provider"] = provider == "postgres" ? "Postgres" : "Sqlite",
                ["Serilog__MinimumLevel__Default"] = "Warning",
                ["Serilog__WriteTo__1__Args__path"] = Path.Combine(logs, "tomalerts-.log"),
            };
            var create = Start(dll, env, $"users create --email {Email} --password {Password} --admin");
            await create.WaitForExitAsync();
            var baseUrl = $"http://127.0.0.1:{port}";
            var process = Start(dll, env, $"--urls {baseUrl}");
            var web = new WebProcess(process, baseUrl, logs);
            using var probe = new HttpClient { BaseAddress = new Uri(baseUrl) };
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var response = await probe.GetAsync("/account/login");
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (attempt < 600 && !process.HasExited)
                {
                }
                if (process.HasExited || attempt >= 600)
                {
                    throw new InvalidOperationException($"TomAlerts.Web did not start ({dll})");
                }
                await Task.Delay(100);
            }
            return web;
        }

        private static Process Start(string dll, Dictionary<string, string> env, string arguments)
        {
            var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (key, value) in env)
            {
                info.Environment[key] = value;
            }
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (!string.IsNullOrEmpty(e.Data))
                {
                    Console.Error.WriteLine("[web] " + e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        /// <summary>Logs in through the form (antiforgery cookie and token first) and returns a client carrying the cookie.</summary>
        public async Task<HttpClient> LoginAsync()
        {
            var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
            var client = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
            var form = await client.GetStringAsync("/account/login");
            var token = Token().Match(form).Groups[1].Value;
            using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = Email, ["Password"] = Password, ["__RequestVerificationToken"] = token,
            }));
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("login", StringComparison.OrdinalIgnoreCase) == true)
            {
                throw new InvalidOperationException($"log-in failed: {(int)response.StatusCode} {response.Headers.Location}");
            }
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            try
            {
                Directory.Delete(_logs, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
