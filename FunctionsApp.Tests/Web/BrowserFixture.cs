using Microsoft.Playwright;

namespace ComponentCatalog.Tests.Web;

/// <summary>
/// One headless Chromium for the browser tests: Playwright's own build when it is installed, otherwise the
/// system's (<c>/usr/bin/chromium</c>, Debian's package; <c>.ci/run</c> installs it when missing). Never downloads.
/// </summary>
internal static class BrowserFixture
{
    public const string SystemChromium = "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var options = new BrowserTypeLaunchOptions { Headless = true, Args = Args, Timeout = 60_000 };
        if (!PlaywrightChromiumInstalled())
        {
            if (!File.Exists(SystemChromium))
            {
                Assert.Fail($"No browser: neither Playwright's Chromium nor {SystemChromium} is installed (apt-get install -y chromium; .ci/run does it).");
            }
            options.ExecutablePath = SystemChromium;
        }
        var playwright = await Playwright.CreateAsync();
        return (playwright, await playwright.Chromium.LaunchAsync(options));
    }

    /// <summary>Whether <c>playwright install chromium</c> has put a browser where Playwright looks for it.</summary>
    private static bool PlaywrightChromiumInstalled()
    {
        var root = Environment.GetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH") is { Length: > 0 } custom && custom != "0"
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ms-playwright");
        return Directory.Exists(root) && Directory.EnumerateDirectories(root, "chromium*").Any();
    }
}
