using System.IO.Compression;
using ComponentCatalog.Auth;
using ComponentCatalog.Pages;
using ComponentCatalog.Tests.OpenApi;
using ComponentCatalog.Web;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Tests.Web;

/// <summary>The website's safety rules without a browser: sanitised Markdown, cookie credentials, assets, routes.</summary>
[TestClass]
public sealed class PageSafetyTests
{
    [TestMethod]
    [DataRow("<script>alert(1)</script>", "&lt;script&gt;")]
    [DataRow("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [DataRow("[x](javascript:alert(1))", "href=\"#unsafe-link\"")]
    [DataRow("[x](JaVaScRiPt&#58;alert(1))", "href=\"#unsafe-link\"")]
    [DataRow("[x]( java\tscript:alert(1))", "<p>[x]( java")]
    [DataRow("[x](data:text/html;base64,PHNjcmlwdD4=)", "href=\"#unsafe-link\"")]
    [DataRow("![x](data:image/svg+xml,<svg onload=alert(1)>)", "&lt;svg onload")]
    [DataRow("![x](data:image/png;base64,AAAA)", "src=\"#unsafe-link\"")]
    [DataRow("<javascript:alert(1)>", "href=\"#unsafe-link\"")]
    [DataRow("[ok](https://example.com/a?b=c)", "href=\"https://example.com/a?b=c\"")]
    [DataRow("[ok](../other#part)", "href=\"../other#part\"")]
    public void Render_HostileMarkdown_IsInert(string markdown, string expected)
    {
        var html = DocumentHtml.Render(markdown);

        StringAssert.Contains(html, expected);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html.Replace("&amp;", "&"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public void Render_CSharpFence_IsHighlightedWithClasses_AndItsTextStaysEscaped()
    {
        var html = DocumentHtml.Render("```csharp\n// note </code><script>alert(1)</script>\npublic sealed class Cache { string Key = \"order:<id>\"; }\n```\n");

        StringAssert.Contains(html, "<pre class=\"hl\"><code class=\"language-csharp\">");
        StringAssert.Matches(html, new System.Text.RegularExpressions.Regex("<span class=\"keyword\">public</span>"));
        StringAssert.Matches(html, new System.Text.RegularExpressions.Regex("<span class=\"comment\">// note &lt;/code&gt;&lt;script&gt;"));
        StringAssert.Matches(html, new System.Text.RegularExpressions.Regex("<span class=\"string\">&quot;order:&lt;id&gt;&quot;</span>"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    [DataRow("```\n<b>x</b>\n```\n", "<pre><code>&lt;b&gt;x&lt;/b&gt;")]
    [DataRow("```nosuchlang\n<b>x</b>\n```\n", "<pre><code class=\"language-nosuchlang\">&lt;b&gt;x&lt;/b&gt;")]
    [DataRow("```\" onmouseover=\"alert(1)\n<b>x</b>\n```\n", "&lt;b&gt;x&lt;/b&gt;")]
    public void Render_FenceWithoutAKnownLanguage_IsPlainEscapedCode(string markdown, string expected)
    {
        var html = DocumentHtml.Render(markdown);

        StringAssert.Contains(html, expected);
        Assert.DoesNotContain("class=\"hl\"", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("\" onmouseover", html);
    }

    [TestMethod]
    public void Anchor_SectionHeadings_AreStableIds()
    {
        Assert.AreEqual("s-class-function-structure", DocumentHtml.Anchor("Class/Function Structure"));
        Assert.AreEqual("s-authentication-authorization", DocumentHtml.Anchor("Authentication/Authorization"));
        Assert.AreEqual("section", DocumentHtml.Anchor("///"));
    }

    private static HttpHeadersCollection Headers(params (string Name, string Value)[] headers)
    {
        var collection = new HttpHeadersCollection();
        foreach (var (name, value) in headers) collection.Add(name, value);
        return collection;
    }

    private const string Csrf = "0123456789abcdef0123456789abcdef0123";

    [TestMethod]
    public void ScriptedRequest_SessionCookieWithoutCsrfProof_IsAnonymous()
    {
        var cookie = ("Cookie", $"catalog_session=tok; catalog_csrf={Csrf}");

        Assert.AreEqual(CredentialKind.None, BrowserSession.ForScriptedRequest(Credentials.None, Headers(cookie)).Kind);
        Assert.AreEqual(CredentialKind.None, BrowserSession.ForScriptedRequest(Credentials.None, Headers(cookie, ("X-Catalog-Csrf", Csrf + "x"))).Kind);
        Assert.AreEqual(CredentialKind.None, BrowserSession.ForScriptedRequest(Credentials.None, Headers(("Cookie", "catalog_session=tok"), ("X-Catalog-Csrf", ""))).Kind);
        var proven = BrowserSession.ForScriptedRequest(Credentials.None, Headers(cookie, ("X-Catalog-Csrf", Csrf)));
        Assert.AreEqual(CredentialKind.Bearer, proven.Kind);
        Assert.AreEqual("tok", proven.Value);
    }

    [TestMethod]
    public void ScriptedRequest_HeaderCredentialsStand_AndABrowserPrincipalNeedsTheProof()
    {
        var bearer = new Credentials(CredentialKind.Bearer, "header-token");
        var principal = new Credentials(CredentialKind.ClientPrincipal, "eyJ9");

        Assert.AreSame(bearer, BrowserSession.ForScriptedRequest(bearer, Headers(("Cookie", "catalog_session=other"))));
        Assert.AreSame(principal, BrowserSession.ForScriptedRequest(principal, Headers()));
        Assert.AreEqual(CredentialKind.None, BrowserSession.ForScriptedRequest(principal, Headers(("Cookie", "AppServiceAuthSession=abc"))).Kind);
        Assert.AreSame(principal, BrowserSession.ForScriptedRequest(principal, Headers(("Cookie", $"AppServiceAuthSession=abc; catalog_csrf={Csrf}"), ("X-Catalog-Csrf", Csrf))));
    }

    [TestMethod]
    public void Navigation_UsesTheSessionCookie_ButHeadersWin()
    {
        Assert.AreEqual("tok", BrowserSession.ForNavigation(Credentials.None, Headers(("Cookie", "a=b; catalog_session=tok"))).Value);
        Assert.AreEqual("h", BrowserSession.ForNavigation(new Credentials(CredentialKind.ApiKey, "h"), Headers(("Cookie", "catalog_session=tok"))).Value);
        Assert.AreEqual(CredentialKind.None, BrowserSession.ForNavigation(Credentials.None, Headers()).Kind);
    }

    [TestMethod]
    public void Assets_AreFingerprinted_AndOwnCssAndJsStayUnder150KbCompressed()
    {
        var assets = SiteAssets.All.ToList();
        long compressed = 0;
        foreach (var asset in assets)
        {
            StringAssert.Matches(asset.Url, new System.Text.RegularExpressions.Regex(@"^/assets/[a-z]+\.[0-9a-f]{10}\.(css|js)$"));
            Assert.AreSame(asset, SiteAssets.Find(asset.Url["/assets/".Length..]));
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(asset.Bytes);
            compressed += buffer.Length;
        }

        CollectionAssert.IsSubsetOf(new[] { "site.css", "site.js", "editor.js" }, assets.Select(a => a.FileName).ToList());
        Assert.IsLessThan(150 * 1024, compressed);
        Assert.IsNull(SiteAssets.Find("site.0000000000.css"), "an outdated fingerprint is not served");
    }

    [TestMethod]
    public void PageRoutes_LiveOutsideApi_AndTheSearchPageAnswersOnlyTheRootAndSearch()
    {
        var pages = FunctionRoutes.All.Where(f => !f.Path.StartsWith("/api/", StringComparison.Ordinal)).Select(f => f.Name).ToList();

        CollectionAssert.IsSubsetOf(new[] { "SearchPage", "ComponentPage", "HistoryPage", "DiffPage", "EditPage", "NewPage", "GraphPage", "SiteAsset" }, pages);
        Assert.IsTrue(pages.All(p => AccessPolicy.RequiredRoles.ContainsKey(p)), "every page is in the access table");
        var resolver = global::DevHost.Http.RouteTable.CreateConstraintResolver();
        var table = global::DevHost.Http.RouteTable.Build([ComponentCatalog.Tests.DevHost.FunctionsFactory.Http("SearchPage", "{page:regex(^search$)?}")], string.Empty, resolver);
        foreach (var (path, matches) in new[] { ("/", true), ("/search", true), ("/api", false), ("/other", false) })
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = path;
            Assert.AreEqual(matches, table.Match(context) is not null, path);
        }
    }

    [TestMethod]
    public void LocalHttp_OnlyPlainHttpToLoopback()
    {
        Assert.IsTrue(PageResponses.IsLocalHttp(new Uri("http://127.0.0.1:7071/")));
        Assert.IsTrue(PageResponses.IsLocalHttp(new Uri("http://localhost:7071/")));
        Assert.IsFalse(PageResponses.IsLocalHttp(new Uri("https://127.0.0.1/")));
        Assert.IsFalse(PageResponses.IsLocalHttp(new Uri("http://catalog.example.com/")));
    }
}
