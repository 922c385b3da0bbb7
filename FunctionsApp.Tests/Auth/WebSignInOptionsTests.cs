using System.ComponentModel.DataAnnotations;
using ComponentCatalog.Auth;
using Microsoft.Extensions.Time.Testing;

namespace ComponentCatalog.Tests.Auth;

/// <summary>The website sign-in's settings (checked at start) and its cookie protection, without a host.</summary>
[TestClass]
public sealed class WebSignInOptionsTests
{
    private const string Key = "a-cookie-key-of-at-least-thirty-two-characters";

    private static List<string> Errors(WebSignInOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    private static WebSignInOptions Complete() => new()
    {
        Authority = "https://login.microsoftonline.com/tenant/v2.0", ClientId = "client", ClientSecret = "secret", CookieKey = Key,
    };

    [TestMethod]
    public void Validate_NothingSet_IsOffAndValid()
    {
        var options = new WebSignInOptions();

        Assert.IsFalse(options.Enabled);
        Assert.IsEmpty(Errors(options));
    }

    [TestMethod]
    public void Validate_OnlyTheClientId_NamesEachMissingSetting()
    {
        var errors = Errors(new WebSignInOptions { ClientId = "client" });

        Assert.HasCount(3, errors, string.Join("\n", errors));
        Assert.IsTrue(errors.Any(e => e.StartsWith("WebSignIn__Authority", StringComparison.Ordinal)));
        Assert.IsTrue(errors.Any(e => e.StartsWith("WebSignIn__ClientSecret", StringComparison.Ordinal)));
        Assert.IsTrue(errors.Any(e => e.StartsWith("WebSignIn__CookieKey", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow("http://login.example/tenant/v2.0")]
    [DataRow("login.microsoftonline.com/tenant")]
    public void Validate_AuthorityNotHttps_IsRefused(string authority)
    {
        var options = Complete();
        options.Authority = authority;

        Assert.HasCount(1, Errors(options));
    }

    [TestMethod]
    public void Validate_CompleteWithAnotherRedirectPath_IsRefused_AndWithTheCallbackAccepted()
    {
        var options = Complete();
        options.RedirectUri = "https://app.example/elsewhere";
        var wrong = Errors(options);
        options.RedirectUri = "https://app.example/signin/callback";

        Assert.HasCount(1, wrong);
        Assert.IsEmpty(Errors(options));
    }

    [TestMethod]
    public void Tickets_AStateCookie_IsNeverReadAsASession_AndExpiredSessionsAreNobody()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var tickets = new SessionTickets(Complete(), clock);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var ticket = new SessionTicket("u1", "User", CatalogClaims.Writer, ["payments"], now, now + 60);

        var asState = tickets.Protect(ticket, SessionTickets.StatePurpose);
        var session = tickets.Issue(ticket);

        Assert.IsNull(tickets.Read(asState), "a cookie made for another purpose does not decrypt as a session");
        var user = tickets.Read(session);
        Assert.IsNotNull(user);
        Assert.AreEqual("u1", user.Id);
        Assert.IsTrue(user.CanWriteFor("payments"));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.IsNull(tickets.Read(session));
    }
}
