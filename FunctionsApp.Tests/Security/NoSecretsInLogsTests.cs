using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Security;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ComponentCatalog.Tests.Security;

/// <summary>The request line has its fields; no token or API key reaches any log line, accepted or refused.</summary>
[TestClass]
public sealed class NoSecretsInLogsTests
{
    private static readonly CatalogUser Admin = new("admin@test", CatalogRole.Admin, new HashSet<string>());

    private static string Everything(FakeLogRecord record) =>
        string.Join("\n", [record.Message, record.Exception?.ToString() ?? string.Empty,
            .. record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []]);

    private static void AssertNoneContains(IEnumerable<FakeLogRecord> records, params string[] secrets)
    {
        foreach (var record in records)
        {
            var text = Everything(record);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, $"log line leaks a secret: {record.Message}");
            }
        }
    }

    [TestMethod]
    public void RequestLine_HasTheFieldsAndNoHeaderOrQueryValues()
    {
        var collector = new FakeLogCollector();
        var logger = new FakeLogger(collector);
        var context = FakeContext.As(null);
        var request = new FakeRequest(context, "DELETE", "/api/components/payments-api?code=function-key-secret")
            .WithHeader("Authorization", "Bearer eyJhbGciOi.secret-payload.secret-signature")
            .WithHeader("X-Api-Key", "cck_secret-api-key");

        RequestLoggingMiddleware.Write(logger, "DeleteComponent", request, 204, TimeSpan.FromMilliseconds(12.34), "pay@test", "corr-1");

        var record = collector.GetSnapshot().Single();
        Assert.AreEqual(LogLevel.Information, record.Level);
        Assert.AreEqual(5200, record.Id.Id);
        var state = record.StructuredState!.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.AreEqual("DeleteComponent", state["Function"]);
        Assert.AreEqual("DELETE", state["Method"]);
        Assert.AreEqual("/api/components/payments-api", state["Path"]);
        Assert.AreEqual("204", state["Status"]);
        Assert.AreEqual("12.3", state["DurationMs"]);
        Assert.AreEqual("pay@test", state["Principal"]);
        Assert.AreEqual("corr-1", state["CorrelationId"]);
        AssertNoneContains([record], "function-key-secret", "secret-payload", "secret-signature", "secret-api-key");
    }

    [TestMethod]
    public void RequestLine_ServerError_IsAWarningAndAnonymousIsNamed()
    {
        var collector = new FakeLogCollector();
        var context = FakeContext.As(null);

        RequestLoggingMiddleware.Write(new FakeLogger(collector), "Health", new FakeRequest(context, "GET", "/api/health"), 503, TimeSpan.Zero, null, null);

        var record = collector.GetSnapshot().Single();
        Assert.AreEqual(LogLevel.Warning, record.Level);
        Assert.AreEqual("anonymous", record.StructuredState!.Single(kv => kv.Key == "Principal").Value);
    }

    [TestMethod]
    public async Task AuthFlows_AcceptedAndRefused_NeverLogTokensOrKeys()
    {
        using var sut = new SecurityHarness(environment: "Production");
        var good = sut.Tokens.Rs256();
        var expired = sut.Tokens.Rs256(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));
        var forged = Tokens.Tampered(good, p => p["roles"] = new System.Text.Json.Nodes.JsonArray("Catalog.Admin"));
        var dev = Tokens.DevToken();
        var key = (await sut.ApiKeys.CreateAsync(new ApiKeyRequest("ci", ["Catalog.Reader"], [], sut.Clock.GetUtcNow().AddDays(1)), Admin)).Key;
        var wrongKey = key[..^4] + "0000";

        foreach (var token in new[] { good, expired, forged, dev, Tokens.AlgNone(), "garbage" })
        {
            await sut.EvaluateAsync("GetComponent", SecurityHarness.Bearer(token));
        }
        await sut.EvaluateAsync("GetComponent", SecurityHarness.ApiKey(key));
        await sut.EvaluateAsync("GetComponent", SecurityHarness.ApiKey(wrongKey));

        var records = sut.Logs.GetSnapshot();
        Assert.IsGreaterThanOrEqualTo(4, records.Count);
        var secrets = new[] { good, expired, forged, dev, key, wrongKey }
            .SelectMany(s => s.Split('.', '_'))
            .Where(part => part.Length >= 16)
            .Distinct()
            .ToArray();
        AssertNoneContains(records, secrets);
    }
}
