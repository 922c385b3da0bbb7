using System.Net;
using Azure.Core;
using Azure.Identity;

namespace ComponentCatalog.Tests.Cli;

/// <summary>Which credential the CLI sends: Entra ID only for a remote catalog or when asked, never probed locally.</summary>
[TestClass]
public sealed class CatalogCliAuthTests
{
    private static ScriptedHandler Ok() => new(ScriptedHandler.Answer(HttpStatusCode.OK, """{"items":[]}"""));

    [TestMethod]
    public async Task Search_RemoteCatalogWithoutTokenOrKey_SendsAnEntraIdTokenForTheScope()
    {
        using var folder = new ScratchFolder();
        var credential = new RecordingCredential();
        var handler = Ok();
        var settings = new Dictionary<string, string> { ["CATALOG_URL"] = "https://catalog.example.test", ["CATALOG_SCOPE"] = "api://catalog-test/.default" };

        var result = await CliRunner.RunAsync(folder.Path, settings, handler, credential, "search", "orders");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        CollectionAssert.AreEqual(new[] { "api://catalog-test/.default" }, credential.Scopes);
        Assert.AreEqual("Bearer entra-token", handler.Requests.Single().Headers.Authorization?.ToString());
        Assert.AreEqual("https://catalog.example.test/api/components?q=orders&limit=20", handler.Requests.Single().RequestUri!.ToString());
        StringAssert.Contains(result.Out, "No matches.");
    }

    [TestMethod]
    public async Task Search_LocalCatalogWithoutCredentials_NeverAsksEntraIdAndSays401Plainly()
    {
        using var folder = new ScratchFolder();
        var credential = new RecordingCredential();
        var handler = new ScriptedHandler(ScriptedHandler.Answer(HttpStatusCode.Unauthorized, """{"title":"Unauthorized","detail":"Send a bearer token or an API key."}"""));

        var result = await CliRunner.RunAsync(folder.Path, null, handler, credential, "search", "orders");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        Assert.IsEmpty(credential.Scopes, "no credential probing for a loopback catalog");
        Assert.IsNull(handler.Requests.Single().Headers.Authorization);
        Assert.AreEqual(
            "catalog: The catalog at http://127.0.0.1:7071/ needs credentials (401: Send a bearer token or an API key): set CATALOG_TOKEN or CATALOG_API_KEY.",
            result.Error.Trim());
    }

    [TestMethod]
    public async Task Search_AzureAuthFlag_UsesEntraIdForALocalCatalogWithTheDefaultScope()
    {
        using var folder = new ScratchFolder();
        var credential = new RecordingCredential();
        var handler = Ok();

        var result = await CliRunner.RunAsync(folder.Path, null, handler, credential, "search", "orders", "--azure-auth");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        CollectionAssert.AreEqual(new[] { "api://component-catalog/.default" }, credential.Scopes);
        Assert.AreEqual("Bearer entra-token", handler.Requests.Single().Headers.Authorization?.ToString());
    }

    [TestMethod]
    public async Task Search_NoEntraIdCredentialAvailable_OneLineNamingTheScope()
    {
        using var folder = new ScratchFolder();
        var credential = new RecordingCredential(new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials.\n- EnvironmentCredential authentication unavailable."));
        var handler = Ok();

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_URL"] = "https://catalog.example.test" }, handler, credential, "search", "orders");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        Assert.IsEmpty(handler.Requests, "nothing sent without a token");
        Assert.AreEqual(
            "catalog: No Entra ID token for CATALOG_SCOPE=api://component-catalog/.default: DefaultAzureCredential failed to retrieve a token from the included credentials. Sign in (az login) or set CATALOG_TOKEN / CATALOG_API_KEY.",
            result.Error.Trim());
    }

    /// <summary>Hands out one token (or throws) and records the scopes asked for.</summary>
    private sealed class RecordingCredential(Exception? failure = null) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return failure is null ? ValueTask.FromResult(new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1))) : ValueTask.FromException<AccessToken>(failure);
        }
    }
}
