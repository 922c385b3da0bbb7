using System.Net;
using System.Text.Json;
using DevHost;
using DevHost.SampleData;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>A first run: empty storage gets the repository's own documents through the import route; --no-seed stays empty.</summary>
[TestClass]
public sealed class SampleDataEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static string Token(string role) => DevTokens.Create(new DevTokenRequest { Roles = [role] });

    private static async Task<string[]> ListNamesAsync(DevHostProcess host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/components?limit=200");
        request.Headers.Authorization = new("Bearer", Token("Catalog.Reader"));
        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray();
    }

    [TestMethod]
    public async Task FirstRun_EmptyStorage_LoadsEveryComponentDocAndExampleOnceAndSaysWhereToLook()
    {
        await using var host = await DevHostProcess.StartAsync(DevHostServer.Configuration, seed: true);
        var documents = SampleSeeder.ReadDocuments(RepoPaths.Root);

        var loaded = await host.WaitForOutputAsync("Sample data: loaded", Bound);
        var open = await host.WaitForOutputAsync("/api/openapi.json ", Bound);
        var names = await ListNamesAsync(host);
        var again = await new SampleSeeder(host.Client, Token("Catalog.Admin")).SeedAsync(documents, CancellationToken.None);

        Assert.IsGreaterThanOrEqualTo(10, documents.Count(d => d.Path.StartsWith("docs/components/", StringComparison.Ordinal)));
        Assert.Contains($"{documents.Count} documents", loaded);
        Assert.Contains($"{documents.Count} created", loaded, "every document is created, none invalid");
        Assert.HasCount(documents.Count, names);
        foreach (var path in documents.Select(d => d.Path))
        {
            Assert.Contains(Path.GetFileNameWithoutExtension(path), names, $"{path} was not loaded");
        }
        Assert.Contains(OpenUrls.Heading, host.Output);
        Assert.Contains($"{host.BaseAddress}api/components ", host.Output);
        Assert.Contains("every route", open);
        Assert.IsTrue(again.Skipped, "a second seeding of a catalog with documents imported again");
        Assert.IsEmpty(again.Statuses);
    }

    [TestMethod]
    public async Task NoSeed_StartsEmpty()
    {
        await using var host = await DevHostProcess.StartAsync(DevHostServer.Configuration, seed: false);

        await host.WaitForOutputAsync("/api/openapi.json ", Bound);
        var names = await ListNamesAsync(host);

        Assert.IsEmpty(names);
        Assert.DoesNotContain("Sample data", host.Output);
    }
}
