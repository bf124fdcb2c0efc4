using System.Collections.Concurrent;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;

namespace TomAlerts.Web.Tests.Browser;

/// <summary>
/// Debian's headless Chromium on one page of the app, recording every server error (5xx), every client error (4xx),
/// every failed request and every console error or uncaught script error, so a test can assert the page behaved.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ITestOutputHelper _output;
    private readonly string _prefix;
    private readonly string _baseUrl;
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private readonly ConcurrentQueue<string> _clientErrors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page, ITestOutputHelper output, string prefix, string baseUrl)
    {
        _baseUrl = baseUrl;
        _playwright = playwright;
        _browser = browser;
        _output = output;
        _prefix = prefix;
        Page = page;
        Watch(page);
    }

    /// <summary>
    /// A page in a second context of the same browser (another colour scheme, say, or the first one's cookies through
    /// <see cref="BrowserNewContextOptions.StorageState"/>), its errors recorded with the first page's.
    /// </summary>
    public async Task<IPage> OpenContextAsync(BrowserNewContextOptions options)
    {
        options.BaseURL ??= _baseUrl;
        options.Locale ??= "en-GB";
        options.TimezoneId ??= "UTC";
        var context = await _browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        Watch(page);
        return page;
    }

    private void Watch(IPage page)
    {
        page.Response += (_, response) =>
        {
            var line = $"{response.Status} {response.Request.Method} {response.Url}";
            if (response.Status >= 500)
            {
                _serverErrors.Enqueue(line);
            }
            else if (response.Status >= 400)
            {
                _clientErrors.Enqueue(line);
            }
        };
        page.RequestFailed += (_, request) => _failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue($"{message.Text} (at {message.Location} on {page.Url})");
            }
        };
        page.PageError += (_, error) => _consoleErrors.Enqueue($"uncaught: {error} (on {page.Url})");
    }

    public IPage Page { get; }

    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    public IReadOnlyCollection<string> ClientErrors => _clientErrors;

    public IReadOnlyCollection<string> FailedRequests => _failedRequests;

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <param name="prefix">Starts every screenshot's file name, so the tests' pictures sort together.</param>
    public static async Task<BrowserSession> StartAsync(string baseUrl, ITestOutputHelper output, string prefix)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = BrowserFactAttribute.Chromium,
                Headless = true,
                Args = Args,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseUrl,
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
                Locale = "en-GB",
                TimezoneId = "UTC",
            });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(15_000);
            return new BrowserSession(playwright, browser, page, output, prefix, baseUrl);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves a full-page PNG as TestResults/screenshots/{prefix}-{name}.png under the test output folder.</summary>
    public Task<string> ScreenshotAsync(string name) => ScreenshotAsync(Page, name);

    /// <summary>The same for a page of another context (<see cref="OpenContextAsync"/>).</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{_prefix}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _output.WriteLine($"Screenshot of {page.Url}: {path}");
        return path;
    }

    /// <summary>Registers a new account through the register page; the app then shows the query list, to pick a broker.</summary>
    public async Task RegisterAsync(string email)
    {
        await Page.GotoAsync("/account/register");
        await Page.Locator("input[name=Email]").FillAsync(email);
        await Page.Locator("input[name=Password]").FillAsync(TestUser.Password);
        await Page.Locator("input[name=ConfirmPassword]").FillAsync(TestUser.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Page.WaitForURLAsync("**/alerts/query/list/");
    }

    /// <summary>Logs in through the login page (the app shows the home page), then opens the query list.</summary>
    public async Task LogInAsync(string email)
    {
        await Page.GotoAsync("/account/login");
        await Page.Locator("input[name=Email]").FillAsync(email);
        await Page.Locator("input[name=Password]").FillAsync(TestUser.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/"); // the home page
        await Page.GetByRole(AriaRole.Link, new() { Name = "Queries", Exact = true }).ClickAsync();
        await Page.WaitForURLAsync("**/alerts/query/list/");
    }

    /// <summary>Bootstrap loaded: the dark navbar has a real background colour, not a transparent one.</summary>
    public async Task AssertStyledAsync()
    {
        var background = await Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('nav.navbar')).backgroundColor");
        Assert.False(background is "rgba(0, 0, 0, 0)" or "transparent", $"{Page.Url} looks unstyled: the navbar background is {background}.");
        var font = await Page.EvaluateAsync<string>("() => getComputedStyle(document.body).fontFamily");
        Assert.False(font.StartsWith("\"Times New Roman\"", StringComparison.Ordinal) || font == "serif", $"{Page.Url} uses the browser's default font {font}.");
    }

    /// <summary>Asserts that <paramref name="message"/> sits just below <paramref name="field"/>, left-aligned with it.</summary>
    public static async Task AssertBesideAsync(ILocator field, ILocator message, string expectedText)
    {
        await Assertions.Expect(message).ToBeVisibleAsync();
        await Assertions.Expect(message).ToContainTextAsync(expectedText);
        var input = await field.BoundingBoxAsync() ?? throw new InvalidOperationException("The field is not laid out.");
        var error = await message.BoundingBoxAsync() ?? throw new InvalidOperationException("The message is not laid out.");
        var gap = error.Y - (input.Y + input.Height);
        Assert.True(gap is >= -1 and < 40, $"The message \"{expectedText}\" is {gap:0} px below its field, not beside it.");
        Assert.True(Math.Abs(error.X - input.X) < 20, $"The message \"{expectedText}\" starts at x={error.X:0}, its field at x={input.X:0}.");
    }

    /// <summary>
    /// No 5xx, no failed request, no console error and no 4xx apart from the <paramref name="expectedClientErrors"/>
    /// (a fragment of "status METHOD url"); Chromium's own console line for such an expected 4xx is allowed too.
    /// </summary>
    public void AssertClean(params string[] expectedClientErrors)
    {
        bool Expected(string line) => expectedClientErrors.Any(e => line.Contains(e, StringComparison.Ordinal));
        var unexpected4xx = _clientErrors.Where(l => !Expected(l)).ToList();
        // Chromium logs every 4xx document as "Failed to load resource: ... status of 404 (Not Found)".
        var expectedStatuses = _clientErrors.Where(Expected).Select(l => l[..3]).ToHashSet();
        var console = _consoleErrors.Where(l => !expectedStatuses.Any(s =>
            l.StartsWith($"Failed to load resource: the server responded with a status of {s} ", StringComparison.Ordinal))).ToList();
        foreach (var line in _serverErrors.Concat(_clientErrors).Concat(_failedRequests).Concat(_consoleErrors))
        {
            _output.WriteLine($"recorded: {line}");
        }
        Assert.True(_serverErrors.IsEmpty, "Server errors: " + string.Join("; ", _serverErrors));
        Assert.True(_failedRequests.IsEmpty, "Failed requests: " + string.Join("; ", _failedRequests));
        Assert.True(console.Count == 0, "Console errors: " + string.Join("; ", console));
        Assert.True(unexpected4xx.Count == 0, "Unexpected client errors: " + string.Join("; ", unexpected4xx));
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
