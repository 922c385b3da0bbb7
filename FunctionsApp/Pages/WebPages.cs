using System.Collections.Specialized;
using System.Net;
using System.Web;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using ComponentCatalog.Web;
using ComponentCatalog.Web.Pages;
using ReportRow = ComponentCatalog.Web.ReportRow;
using SearchPage = ComponentCatalog.Web.Pages.SearchPage;
using Microsoft.AspNetCore.Components;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Pages;

/// <summary>A page to send: status, HTML (or a redirect or raw text), and cookies to set.</summary>
internal sealed record PageResult(HttpStatusCode Status, string Body, string ContentType = PageResult.Html, string? Location = null)
{
    public const string Html = "text/html; charset=utf-8";

    /// <summary>Cookies to set, all HttpOnly; <c>Lax</c> ones are sent on a top-level navigation from another site too.</summary>
    public List<(string Name, string Value, TimeSpan? MaxAge, bool Lax)> Cookies { get; } = [];

    /// <summary>A <c>Server-Timing</c> header value (<see cref="Pages.ServerTiming"/>), or null.</summary>
    public string? ServerTiming { get; set; }

    public static PageResult Redirect(string location) => new(HttpStatusCode.SeeOther, string.Empty, Html, location);
}

/// <summary>
/// The website: each method reads through the same components the API uses (catalog, search, graph, quality),
/// builds the page's view model and renders its Razor component. Authentication and role decisions come from
/// <see cref="PageAuth"/> (the API's own); a page never writes — the editor saves through the API.
/// </summary>
internal sealed class WebPages(
    PageAuth auth, PageRenderer renderer, ComponentDocuments catalog, PageCache pageCache, ComponentSearch search,
    ComponentGraph graph, MarkdownTemplate markdown, JobStore jobs, DevSignIn devSignIn, OidcSignIn oidc, AuthOptions authOptions, CatalogOptions options, TimeProvider clock)
{
    public const int PageSize = 20;
    private const int FacetScanLimit = 5000;
    private const int FacetOptions = 12;
    private const int MaxGraphNodes = 400;
    private const int TrendPoints = 60;
    private static readonly string[] LifecycleNames = [.. Enum.GetNames<Lifecycle>().Select(n => n.ToLowerInvariant())];

    public Task<PageResult> SearchAsync(HttpRequestData req, CancellationToken ct) => PageAsync(req, "ListComponents", async caller =>
    {
        var p = new QueryParameters(req.Query);
        var query = new SearchQuery
        {
            Q = p.String("q", 500),
            Owner = p.String("owner", 63),
            Tags = p.Strings("tag"),
            Library = p.String("library"),
            Lifecycle = p.Enum<Lifecycle>("lifecycle"),
        };
        var after = p.String("after", 1024);
        var timing = new ServerTiming();
        var (page, next, all) = await search.SearchWithAllAsync(query, after, PageSize, FacetScanLimit, ct);
        timing.Mark("search");
        var staleBefore = clock.GetUtcNow().AddDays(-options.StaleAfterDays);
        var state = Parse(req.Query);
        var facets = new List<FacetGroup>
        {
            Facet(state, "owner", "Owner", all.Select(e => e.Owner).OfType<string>()),
            Facet(state, "tag", "Tag", all.SelectMany(e => e.Tags)),
            Facet(state, "lifecycle", "Lifecycle", all.Select(e => e.Lifecycle is { } l ? LifecycleNames[(int)l] : null).OfType<string>()),
            Facet(state, "library", "Library", all.SelectMany(e => e.Libraries)),
        };
        var filtered = state.AllKeys.Any(k => k is "owner" or "tag" or "lifecycle" or "library");
        var view = new SearchView(
            query.Q, all.Count, facets,
            [.. page.Select(e => new SearchHit(e.Name, e.Title, e.Owner, e.Tags, e.Lifecycle?.ToString().ToLowerInvariant(), e.Score, CatalogIndex.IsStale(e, staleBefore), e.Revision, e.UpdatedAt))],
            next is null ? null : Url(With(state, "after", next)),
            after is null ? null : Url(With(state, "after", null)),
            filtered ? Url(query.Q is null ? [] : new NameValueCollection { ["q"] = query.Q }) : null);
        timing.Mark("facets");
        var result = await RenderAsync<SearchPage>(caller, view);
        timing.Mark("render");
        result.ServerTiming = timing.ToString();
        return result;
    }, ct);

    public Task<PageResult> ComponentAsync(HttpRequestData req, string name, CancellationToken ct) => PageAsync(req, "GetComponent", async caller =>
    {
        var p = new QueryParameters(req.Query);
        var depth = p.Int("depth", 1, 3, 1);
        var direction = p.OneOf("direction", "both", "out", "in", "both");
        // One document read (this instance's cache), then what only changes with the revision (cached HTML and
        // revision list, PageCache), then what depends on the rest of the catalog: the in-memory index, no storage.
        var timing = new ServerTiming();
        var stored = await catalog.GetAsync(name, ct);
        timing.Mark("document");
        var parts = await pageCache.PartsAsync(name, stored, ct);
        var (document, sections, revisions) = (parts.Document, parts.Sections, parts.Revisions);
        timing.Mark("html-revisions");
        var report = await pageCache.QualityAsync(parts, ct);
        timing.Mark("quality");
        var entry = await search.EntryAsync(name, ct);
        var exists = await search.NameLookupAsync(ct);
        var around = entry is null ? new GraphView([new GraphNode(name, document.Title, true)], []) : graph.Around(name, direction, depth);
        var dependents = entry is null ? [] : graph.Dependents(name, transitive: true);
        timing.Mark("graph");
        var staleBefore = clock.GetUtcNow().AddDays(-options.StaleAfterDays);
        bool Exists(string reference) => exists(IndexEntry.ReferenceName(reference));

        var view = new ComponentView(
            name, document.Title, document.Owner, (IReadOnlyList<string>?)document.Tags ?? [], document.Lifecycle?.ToString().ToLowerInvariant(), document.ReviewedAt,
            document.UpdatedAt, document.UpdatedBy, document.Revision ?? 0, report.Score, entry is not null && CatalogIndex.IsStale(entry, staleBefore),
            [.. sections.Select(s => new SectionView(s.Id, s.Heading, new MarkupString(s.Html)))],
            [.. report.Findings.Select(f => Finding(f, sections))],
            [.. ((IEnumerable<NamedItem>?)document.Dependencies?.InternalModules ?? []).Select(m => new ReferenceView(IndexEntry.ReferenceName(m.Name), m.Purpose, Exists(m.Name)))],
            [.. ((IEnumerable<RelatedComponent>?)document.RelatedComponents ?? []).Select(r => new ReferenceView(IndexEntry.ReferenceName(r.Name), r.Relationship, Exists(r.Name)))],
            [.. dependents.Select(d => new DependentView(d.Name, d.Title, d.Depth, d.Kind))],
            GraphLayout.Lay(around.Nodes, around.Edges, name, new HashSet<string>()), depth, direction,
            [.. revisions.Select(r => new RevisionView(r.Revision, r.UpdatedAt, r.UpdatedBy))],
            caller.User?.CanWriteFor(document.Owner) == true);
        var page = await RenderAsync<ComponentPage>(caller, view);
        timing.Mark("render");
        page.ServerTiming = timing.ToString();
        return page;
    }, ct);

    public Task<PageResult> RawAsync(HttpRequestData req, string name, CancellationToken ct) => PageAsync(req, "GetComponent", async _ =>
    {
        var stored = await catalog.GetAsync(name, ct);
        return new PageResult(HttpStatusCode.OK, markdown.Render(stored.Document), MarkdownTemplate.ContentType);
    }, ct);

    public Task<PageResult> HistoryAsync(HttpRequestData req, string name, CancellationToken ct) => PageAsync(req, "ListRevisions", async caller =>
    {
        var stored = await catalog.GetAsync(name, ct);
        var revisions = await catalog.ListRevisionsAsync(name, ct);
        return await RenderAsync<HistoryPage>(caller, new HistoryView(name, stored.Document.Title, [.. revisions.Select(r => new RevisionView(r.Revision, r.UpdatedAt, r.UpdatedBy))]));
    }, ct);

    public Task<PageResult> DiffAsync(HttpRequestData req, string name, CancellationToken ct) => PageAsync(req, "DiffComponent", async caller =>
    {
        var p = new QueryParameters(req.Query);
        var (older, newer) = await catalog.DiffAsync(name, p.IntOrNull("from", 1, int.MaxValue), p.IntOrNull("to", 1, int.MaxValue), ct);
        var revisions = await catalog.ListRevisionsAsync(name, ct);
        var changes = SectionDiff.Compare(older.Document, newer.Document);
        var view = new DiffView(
            name, newer.Document.Title, older.Document.Revision ?? 0, newer.Document.Revision ?? 0, [.. revisions.Select(r => r.Revision)],
            [.. changes.Select(c => new DiffSectionView(c.Section, c.Change, [.. DiffLines(c.Diff)]))]);
        return await RenderAsync<DiffPage>(caller, view);
    }, ct);

    public Task<PageResult> EditAsync(HttpRequestData req, string name, CancellationToken ct) => PageAsync(req, "PutComponent", async caller =>
    {
        var stored = await catalog.GetAsync(name, ct);
        if (caller.User?.CanWriteFor(stored.Document.Owner) != true)
        {
            return await MessageAsync(caller, HttpStatusCode.Forbidden, "Not yours to edit",
                $"Writers edit the documents of their own teams; {name} belongs to {stored.Document.Owner ?? "no team"}.");
        }
        return await RenderAsync<EditPage>(caller, new EditView(name, markdown.Render(stored.Document), stored.ETag, stored.Document.Revision, IsNew: false));
    }, ct);

    public Task<PageResult> NewAsync(HttpRequestData req, CancellationToken ct) => PageAsync(req, "CreateComponent", caller =>
        RenderAsync<EditPage>(caller, new EditView(null, markdown.BlankTemplate, null, null, IsNew: true)), ct);

    public Task<PageResult> GraphAsync(HttpRequestData req, CancellationToken ct) => PageAsync(req, "GetCatalogGraph", async caller =>
    {
        var team = new QueryParameters(req.Query).String("team", 63);
        var entries = await search.AllAsync(ct);
        var whole = graph.Whole();
        var teams = entries.Select(e => e.Owner).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var owned = team is null ? null : entries.Where(e => e.Owner == team).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var edges = whole.Edges.Where(e => owned is null || owned.Contains(e.From) || owned.Contains(e.To)).ToList();
        var keep = owned is null ? null : owned.Concat(edges.SelectMany(e => new[] { e.From, e.To })).ToHashSet(StringComparer.Ordinal);
        var nodes = whole.Nodes.Where(n => keep is null || keep.Contains(n.Name)).Take(MaxGraphNodes).ToList();
        var cycles = whole.Cycles.Where(c => keep is null || c.Any(keep.Contains)).ToList();
        var hot = cycles.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);
        var staleBefore = clock.GetUtcNow().AddDays(-options.StaleAfterDays);
        var trend = QualityTrend(await jobs.ReadSeriesAsync("quality-trend", ct), team);
        var view = new GraphOverview(
            team, teams, GraphLayout.Lay(nodes, edges, null, hot), cycles,
            [.. whole.Dangling.Where(d => keep is null || keep.Contains(d.From)).DistinctBy(d => (d.From, d.To)).Select(d => new ReportRow(d.From, d.To))],
            [.. entries.Where(e => (owned is null || owned.Contains(e.Name)) && CatalogIndex.IsStale(e, staleBefore))
                .Select(e => new ReportRow(e.Name, $"last reviewed {(e.ReviewedAt ?? e.UpdatedAt):yyyy-MM-dd}"))],
            trend);
        return await RenderAsync<GraphPage>(caller, view);
    }, ct);

    /// <summary>The editor's preview: Markdown → the page's sanitised HTML of each section (a fragment, no shell).</summary>
    public Task<PageResult> PreviewAsync(HttpRequestData req, CancellationToken ct) => PageAsync(req, "ValidateDocument", async _ =>
    {
        var parsed = markdown.Parse(await req.ReadTextAsync(options.MaxBodyBytes, ct));
        var html = string.Concat(DocumentHtml.Sections(parsed.Document).Select(s =>
            $"<section class=\"doc-section\"><h2>{WebUtility.HtmlEncode(s.Heading)}</h2>{s.Html}</section>"));
        return new PageResult(HttpStatusCode.OK, html);
    }, ct, stateChanging: true);

    public async Task<PageResult> SignInFormAsync(HttpRequestData req, CancellationToken ct)
    {
        var caller = await auth.AuthenticateAsync(req, stateChanging: false, ct);
        if (oidc.Enabled)
        {
            return WithCsrfCookie(caller, req.Query["signedout"] == "1"
                ? await RenderAsync<MessagePage>(caller, new MessageView(200, "Signed out", "You are signed out of the catalog.", OfferSignIn: true))
                : await oidc.BeginAsync(req, req.Query["returnUrl"] ?? "/", ct));
        }
        return WithCsrfCookie(caller, devSignIn.Enabled
            ? await RenderAsync<SignInPage>(caller, new SignInView(ReturnUrls.Local(req.Query["returnUrl"]), CatalogClaims.AllRoles, null))
            : await MessageAsync(caller, HttpStatusCode.NotFound, "Not here", "Development sign-in is off: this app signs people in with Entra ID."));
    }

    public async Task<PageResult> SignInAsync(HttpRequestData req, CancellationToken ct)
    {
        var caller = await auth.AuthenticateAsync(req, stateChanging: false, ct);
        if (!devSignIn.Enabled)
        {
            return await MessageAsync(caller, HttpStatusCode.NotFound, "Not here", "Development sign-in is off: this app signs people in with Entra ID.");
        }
        var form = HttpUtility.ParseQueryString(await req.ReadTextAsync(16 * 1024, ct));
        var returnUrl = ReturnUrls.Local(form["returnUrl"]);
        if (caller.NewCsrfCookie || !BrowserSession.Matches(form["csrf"], caller.CsrfToken))
        {
            return WithCsrfCookie(caller, await RenderAsync<SignInPage>(caller, new SignInView(returnUrl, CatalogClaims.AllRoles, "The form expired; sign in again."), HttpStatusCode.BadRequest));
        }
        var user = form["user"]?.Trim() is { Length: > 0 and <= 64 } u ? u : "dev-user";
        var role = CatalogClaims.AllRoles.Contains(form["role"]) ? form["role"]! : CatalogClaims.Reader;
        var teams = (form["teams"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20).ToList();
        var result = PageResult.Redirect(returnUrl);
        // Lax: a link to a page from chat or mail opens signed in; pages never change state on GET, and the API wants
        // the CSRF proof besides the cookie (BrowserSession).
        result.Cookies.Add((BrowserSession.SessionCookie, devSignIn.CreateToken(user, role, teams), DevSignIn.Lifetime, true));
        return result;
    }

    public async Task<PageResult> SignOutAsync(HttpRequestData req, CancellationToken ct)
    {
        var form = HttpUtility.ParseQueryString(await req.ReadTextAsync(16 * 1024, ct));
        // With the app's own sign-in, "/" would send the browser straight back through the provider's single sign-on.
        var result = PageResult.Redirect(oidc.Enabled ? "/signin?signedout=1" : "/");
        if (BrowserSession.Matches(form["csrf"], BrowserSession.CsrfToken(req.Headers)))
        {
            result.Cookies.Add((BrowserSession.SessionCookie, string.Empty, TimeSpan.Zero, true));
        }
        return result;
    }

    /// <summary>Authenticates, decides with <paramref name="apiFunction"/>'s role, then builds the page; refusals and missing documents become pages.</summary>
    private async Task<PageResult> PageAsync(HttpRequestData req, string apiFunction, Func<PageCaller, Task<PageResult>> build, CancellationToken ct, bool stateChanging = false)
    {
        var caller = await auth.AuthenticateAsync(req, stateChanging, ct);
        PageResult result;
        try
        {
            AccessPolicy.Authorize(apiFunction, caller.Authentication);
            result = await build(caller);
        }
        catch (CatalogException e) when (e is UnauthorizedException or InvalidCredentialsException)
        {
            var back = Uri.EscapeDataString(req.Url.PathAndQuery);
            result = !stateChanging && (devSignIn.Enabled || oidc.Enabled || authOptions.TrustAppServiceAuthentication)
                ? PageResult.Redirect(devSignIn.Enabled || oidc.Enabled ? "/signin?returnUrl=" + back : "/.auth/login/aad?post_login_redirect_uri=" + back)
                : await MessageAsync(caller, HttpStatusCode.Unauthorized, "Sign in needed", e.Message, offerSignIn: true);
        }
        catch (ForbiddenException e)
        {
            result = await MessageAsync(caller, HttpStatusCode.Forbidden, "Not allowed", e.Message);
        }
        catch (NotFoundException e)
        {
            result = await MessageAsync(caller, HttpStatusCode.NotFound, "Not found", e.Message);
        }
        catch (ValidationException e)
        {
            result = await MessageAsync(caller, HttpStatusCode.BadRequest, "Bad request", e.Message + " " + string.Join(" ", e.Errors.SelectMany(x => x.Value)));
        }
        return WithCsrfCookie(caller, result);
    }

    /// <summary>A browser without the CSRF cookie gets the one its page's forms and scripts were given.</summary>
    private static PageResult WithCsrfCookie(PageCaller caller, PageResult result)
    {
        if (caller.NewCsrfCookie)
        {
            result.Cookies.Add((BrowserSession.CsrfCookie, caller.CsrfToken, null, false));
        }
        return result;
    }

    private async Task<PageResult> RenderAsync<TPage>(PageCaller caller, object model, HttpStatusCode status = HttpStatusCode.OK)
        where TPage : IComponent =>
        new(status, await renderer.RenderAsync<TPage>(new Dictionary<string, object?> { ["Model"] = model, ["Viewer"] = caller.Viewer }));

    private Task<PageResult> MessageAsync(PageCaller caller, HttpStatusCode status, string heading, string message, bool offerSignIn = false) =>
        RenderAsync<MessagePage>(caller, new MessageView((int)status, heading, message, offerSignIn), status);

    private static FindingView Finding(Model.Finding finding, IReadOnlyList<HtmlSection> sections)
    {
        var field = finding.Section.Split('.', '[')[0];
        var heading = TemplateSections.All.FirstOrDefault(s => string.Equals(s.Field, field, StringComparison.OrdinalIgnoreCase))?.Heading;
        var target = heading is null ? null : sections.FirstOrDefault(s => s.Heading == heading)?.Id;
        return new FindingView(finding.Severity.ToString(), finding.Rule, finding.Message, target, heading ?? finding.Section);
    }

    /// <summary>
    /// The last <see cref="TrendPoints"/> quality snapshots (report <c>quality-trend</c>, one row a day, keyed by
    /// day): the catalog's average, or <paramref name="team"/>'s from the row's <c>owners</c>; days without a score
    /// for it are left out.
    /// </summary>
    internal static QualityTrendView QualityTrend(IEnumerable<Storage.ReportRow> rows, string? team)
    {
        var points = new List<TrendPoint>();
        foreach (var row in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var data = row.Data;
            var summary = team is null
                ? data.TryGetProperty("overall", out var overall) ? overall : default
                : data.TryGetProperty("owners", out var owners) && owners.ValueKind == System.Text.Json.JsonValueKind.Object && owners.TryGetProperty(team, out var owned) ? owned : default;
            if (summary.ValueKind == System.Text.Json.JsonValueKind.Object
                && summary.TryGetProperty("average", out var average) && average.ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                var count = summary.TryGetProperty("count", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.Number ? n.GetInt32() : 0;
                points.Add(new TrendPoint(row.Key, average.GetDouble(), count));
            }
        }
        return new QualityTrendView(team is null ? "the catalog" : "team " + team, [.. points.TakeLast(TrendPoints)]);
    }

    private static IEnumerable<DiffLineView> DiffLines(string unified) =>
        unified.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith("--- ", StringComparison.Ordinal) && !l.StartsWith("+++ ", StringComparison.Ordinal))
            .Select(l => l[0] is '+' or '-' ? new DiffLineView(l[0], l[1..]) : new DiffLineView(' ', l.StartsWith(' ') ? l[1..] : l));

    private static NameValueCollection Parse(NameValueCollection query)
    {
        var copy = new NameValueCollection();
        foreach (var key in query.AllKeys.OfType<string>().Where(k => k is "q" or "owner" or "tag" or "lifecycle" or "library"))
        {
            foreach (var value in query.GetValues(key) ?? []) copy.Add(key, value);
        }
        return copy;
    }

    private static NameValueCollection With(NameValueCollection state, string key, string? value)
    {
        var copy = new NameValueCollection(state);
        copy.Remove(key);
        if (value is not null) copy.Add(key, value);
        return copy;
    }

    private static FacetGroup Facet(NameValueCollection state, string field, string label, IEnumerable<string> values)
    {
        var selected = state.GetValues(field) ?? [];
        // Counted in one pass (a search page counts every hit's values for four facets); the first spelling seen names a value.
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, value, out _);
            count++;
        }
        var options = counts.Select(c => (Value: c.Key, Count: c.Value))
            .OrderByDescending(o => o.Count).ThenBy(o => o.Value, StringComparer.Ordinal)
            .Take(FacetOptions)
            .ToList();
        foreach (var missing in selected.Where(s => !options.Any(o => string.Equals(o.Value, s, StringComparison.OrdinalIgnoreCase))))
        {
            options.Insert(0, (missing, 0));
        }
        // Each option's link: the query without the page cursor and this facet's own values (escaped once), then this
        // facet's values with the option toggled — a tag adds to or leaves the selected tags, other facets pick one value.
        var rest = string.Join("&", Pairs(state).Where(p => p.Key != "after" && p.Key != field).Select(p => p.Text));
        return new FacetGroup(field, label, [.. options.Select(o =>
        {
            var on = selected.Contains(o.Value, StringComparer.OrdinalIgnoreCase);
            var mine = field == "tag"
                ? selected.Where(t => !string.Equals(t, o.Value, StringComparison.OrdinalIgnoreCase)).Concat(on ? [] : [o.Value])
                : on ? [] : [o.Value];
            var text = string.Join("&", mine.Select(v => Uri.EscapeDataString(field) + "=" + Uri.EscapeDataString(v)).Prepend(rest).Where(t => t.Length > 0));
            return new FacetOption(o.Value, o.Count, on, text.Length == 0 ? "/" : "/?" + text);
        })]);
    }

    /// <summary>Each value of the query as an escaped <c>key=value</c>, keys in their order.</summary>
    private static IEnumerable<(string Key, string Text)> Pairs(NameValueCollection query) =>
        query.AllKeys.OfType<string>().SelectMany(k => (query.GetValues(k) ?? []).Select(v => (k, Uri.EscapeDataString(k) + "=" + Uri.EscapeDataString(v))));

    private static string Url(NameValueCollection query)
    {
        var text = string.Join("&", Pairs(query).Select(p => p.Text));
        return text.Length == 0 ? "/" : "/?" + text;
    }
}
