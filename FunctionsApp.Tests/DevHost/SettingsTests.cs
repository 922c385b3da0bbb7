using DevHost.Settings;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class SettingsTests
{
    private const string SettingsJson = """
        {
          "IsEncrypted": false,
          "Values": {
            "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
            "AzureWebJobsStorage": "UseDevelopmentStorage=true",
            "CatalogStorage": "UseDevelopmentStorage=true",
            "Auth__Issuer": "https://catalog.local/dev",
            "Skipped": null,
            "Number": 5
          },
          "ConnectionStrings": { "Db": "Server=x" }
        }
        """;

    private static readonly LocalSettings Settings = LocalSettings.Parse(SettingsJson);

    [TestMethod]
    public void Parse_Values_ReadsStringsNullsAndRawNumbers()
    {
        Assert.AreEqual("https://catalog.local/dev", Settings.Values["Auth__Issuer"]);
        Assert.IsNull(Settings.Values["Skipped"]);
        Assert.AreEqual("5", Settings.Values["Number"]);
        Assert.AreEqual("Server=x", Settings.ConnectionStrings["Db"]);
    }

    [TestMethod]
    public void Build_NoEnvironment_StorageGoesToAzuriteAndValuesAreAdded()
    {
        var added = WorkerEnvironment.Build(new Dictionary<string, string>(), Settings, "/app", "AZURITE", 7071);

        Assert.AreEqual("AZURITE", added["CatalogStorage"]);
        Assert.AreEqual("AZURITE", added["AzureWebJobsStorage"]);
        Assert.AreEqual("https://catalog.local/dev", added["Auth__Issuer"]);
        Assert.AreEqual("5", added["Number"]);
        Assert.IsFalse(added.ContainsKey("Skipped"));
        Assert.AreEqual("Server=x", added["ConnectionStrings:Db"]);
    }

    [TestMethod]
    public void Build_EnvironmentSetsValues_EnvironmentWins()
    {
        var environment = new Dictionary<string, string> { ["CatalogStorage"] = "MINE", ["Auth__Issuer"] = "https://other" };

        var added = WorkerEnvironment.Build(environment, Settings, "/app", "AZURITE", 7071);
        var lookup = WorkerEnvironment.Lookup(environment, added);

        Assert.IsFalse(added.ContainsKey("CatalogStorage"));
        Assert.IsFalse(added.ContainsKey("Auth__Issuer"));
        Assert.AreEqual("MINE", lookup("CatalogStorage"));
        Assert.AreEqual("https://other", lookup("Auth__Issuer"));
        Assert.AreEqual("AZURITE", lookup("AzureWebJobsStorage"));
    }

    [TestMethod]
    public void Build_Always_ForcesDevelopmentAndAppDirectory()
    {
        var environment = new Dictionary<string, string> { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production" };

        var added = WorkerEnvironment.Build(environment, LocalSettings.Empty, "/app/bin", null, 7300);

        Assert.AreEqual("Development", added["AZURE_FUNCTIONS_ENVIRONMENT"]);
        Assert.AreEqual("/app/bin", added["FUNCTIONS_APPLICATION_DIRECTORY"]);
        Assert.AreEqual("/app/bin", added["FUNCTIONS_WORKER_DIRECTORY"]);
        Assert.AreEqual("/app/bin", added["AzureWebJobsScriptRoot"]);
        Assert.AreEqual("localhost:7300", added["WEBSITE_HOSTNAME"]);
        Assert.AreEqual("dotnet-isolated", added["FUNCTIONS_WORKER_RUNTIME"]);
    }

    [TestMethod]
    public void Load_NoLocalSettings_FallsBackToSample()
    {
        var directory = Directory.CreateTempSubdirectory("devhost-settings-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, LocalSettings.SampleFileName), """{"Values":{"A":"sample"}}""");

            var fromSample = LocalSettings.Load(directory.FullName);
            File.WriteAllText(Path.Combine(directory.FullName, LocalSettings.FileName), """{"Values":{"A":"local"}}""");
            var fromLocal = LocalSettings.Load(directory.FullName);

            Assert.AreEqual("sample", fromSample.Values["A"]);
            Assert.AreEqual("local", fromLocal.Values["A"]);
            Assert.EndsWith(LocalSettings.FileName, fromLocal.Source!);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void HostJson_RoutePrefixAndTimeout_AreRead()
    {
        var custom = HostJson.Parse("""{ "version": "2.0", "extensions": { "http": { "routePrefix": "/v1/" } }, "functionTimeout": "00:00:30" }""");
        var empty = HostJson.Parse("""{ "extensions": { "http": { "routePrefix": "" } } }""");
        var none = HostJson.Parse("""{ "version": "2.0" }""");

        Assert.AreEqual("v1", custom.RoutePrefix);
        Assert.AreEqual(TimeSpan.FromSeconds(30), custom.FunctionTimeout);
        Assert.AreEqual(string.Empty, empty.RoutePrefix);
        Assert.AreEqual("api", none.RoutePrefix);
        Assert.AreEqual(TimeSpan.FromMinutes(5), none.FunctionTimeout);
    }

    [TestMethod]
    public void Resolve_PercentTokens_ReplacedFromSettings()
    {
        var settings = new Dictionary<string, string> { ["Every"] = "0 */5 * * * *", ["Min"] = "15" };

        Assert.AreEqual("0 */5 * * * *", SettingExpressions.Resolve("%Every%", settings.GetValueOrDefault));
        Assert.AreEqual("0 15 * * * *", SettingExpressions.Resolve("0 %Min% * * * *", settings.GetValueOrDefault));
        Assert.AreEqual("0 0 * * * *", SettingExpressions.Resolve("0 0 * * * *", settings.GetValueOrDefault));
    }

    [TestMethod]
    public void Resolve_MissingSetting_Throws()
    {
        var exception = Assert.ThrowsExactly<InvalidOperationException>(() => SettingExpressions.Resolve("%Nope%", _ => null));

        Assert.Contains("Nope", exception.Message);
    }
}
