using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComponentCatalog.Functions;
using ComponentCatalog.Storage;
using DevHost;
using Microsoft.Azure.Functions.Worker;

using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Infra;

/// <summary>
/// infra/main.bicep and infra/main.bicepparam build and lint without a warning, and the compiled ARM template
/// says what the deployment promises: identity-only storage, Flex Consumption .NET isolated 10, the settings.
/// </summary>
[TestClass]
public sealed partial class BicepTemplateTests
{
    private static BicepResult _build = null!;
    private static BicepResult _lint = null!;
    private static BicepResult _buildParams = null!;
    private static JsonObject _template = null!;
    private static JsonObject _parameters = null!;

    [ClassInitialize]
    public static async Task CompileAsync(TestContext _)
    {
        var root = RepoPaths.Root;
        var build = BicepCli.RunAsync(root, "build", "infra/main.bicep", "--stdout");
        var lint = BicepCli.RunAsync(root, "lint", "infra/main.bicep");
        var buildParams = BicepCli.RunAsync(root, "build-params", "infra/main.bicepparam", "--stdout");
        (_build, _lint, _buildParams) = (await build, await lint, await buildParams);

        _template = _build.ExitCode == 0 ? JsonNode.Parse(_build.StandardOutput)!.AsObject() : [];
        _parameters = _buildParams.ExitCode == 0
            ? JsonNode.Parse((string)JsonNode.Parse(_buildParams.StandardOutput)!["parametersJson"]!)!["parameters"]!.AsObject()
            : [];
    }

    [TestMethod]
    public void Build_MainBicep_SucceedsWithoutDiagnostics()
    {
        Assert.AreEqual(0, _build.ExitCode, _build.Diagnostics);
        Assert.AreEqual(string.Empty, _build.StandardError.Trim(), "bicep build reported diagnostics");
        Assert.StartsWith("https://schema.management.azure.com/schemas/", (string?)_template["$schema"]);
    }

    [TestMethod]
    public void Lint_MainBicep_ReportsNothing()
    {
        Assert.AreEqual(0, _lint.ExitCode, _lint.Diagnostics);
        Assert.DoesNotContain("Warning", _lint.Diagnostics);
        Assert.DoesNotContain("Error", _lint.Diagnostics);
        Assert.AreEqual(string.Empty, _lint.Diagnostics.Trim());
    }

    [TestMethod]
    public void BuildParams_MainBicepparam_SucceedsWithoutDiagnostics()
    {
        Assert.AreEqual(0, _buildParams.ExitCode, _buildParams.Diagnostics);
        Assert.AreEqual(string.Empty, _buildParams.StandardError.Trim(), "bicep build-params reported diagnostics");
        Assert.IsNotNull(_parameters["authAudience"]);
    }

    [TestMethod]
    public void Template_Anywhere_HasNoAccountKeysOrConnectionStrings()
    {
        var text = _build.StandardOutput;

        Assert.IsGreaterThan(1000, text.Length);
        foreach (var forbidden in new[] { "listKeys", "listkeys", "accountKey", "AccountKey=", "primaryKey", "SharedAccessKey", "DefaultEndpointsProtocol", "listConnectionStrings" })
        {
            Assert.DoesNotContain(forbidden, text, forbidden);
        }
    }

    [TestMethod]
    public void Template_StorageAccount_DisallowsSharedKeyAndPublicBlobs()
    {
        var account = Resources("Microsoft.Storage/storageAccounts").Single();
        var properties = account["properties"]!;

        Assert.IsFalse((bool)properties["allowSharedKeyAccess"]!);
        Assert.IsFalse((bool)properties["allowBlobPublicAccess"]!);
        Assert.AreEqual("TLS1_2", (string?)properties["minimumTlsVersion"]);
    }

    [TestMethod]
    public void Template_Plan_IsFlexConsumption()
    {
        var plan = Resources("Microsoft.Web/serverfarms").Single();

        Assert.AreEqual("FC1", (string?)plan["sku"]!["name"]);
        Assert.AreEqual("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.IsTrue((bool)plan["properties"]!["reserved"]!);
    }

    [TestMethod]
    public void Template_FunctionApp_RunsDotnetIsolated10AsUserAssignedIdentity()
    {
        var site = Resources("Microsoft.Web/sites").Single();
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.AreEqual("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.AreEqual("10.0", (string?)config["runtime"]!["version"]);
        Assert.AreEqual("blobContainer", (string?)config["deployment"]!["storage"]!["type"]);
        Assert.AreEqual("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.AreEqual("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.IsTrue((bool)site["properties"]!["httpsOnly"]!);
        Assert.Contains("functionapp", (string)site["kind"]!);
    }

    [TestMethod]
    public void Template_AppSettings_AreIdentityBasedAndCoverTheApp()
    {
        var names = PropertyNames(_template);

        foreach (var setting in new[]
        {
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            "CatalogStorage__tableServiceUri", "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "Auth__Issuer", "Auth__Audience", "Auth__MetadataAddress",
            "RateLimit__PermitsPerMinute", "Catalog__MaxBodyBytes", "Catalog__StaleAfterDays", "Catalog__DeletedRetentionDays",
        })
        {
            Assert.Contains(setting, names, setting);
        }
        Assert.DoesNotContain("AzureWebJobsStorage", names, "a connection-string AzureWebJobsStorage setting");
        Assert.DoesNotContain("CatalogStorage", names, "a connection-string CatalogStorage setting");
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", names, "Flex Consumption takes the runtime from functionAppConfig");
        Assert.Contains("\"managedidentity\"", _build.StandardOutput);
    }

    [TestMethod]
    public void Template_Identity_GetsTheStorageDataRoles()
    {
        var text = _build.StandardOutput;

        Assert.HasCount(1, Resources("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", text, "Storage Blob Data Owner");
        Assert.Contains("974c5e8b-45b9-4653-ba55-5f855dd0fb88", text, "Storage Queue Data Contributor");
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", text, "Storage Table Data Contributor");
        Assert.IsNotEmpty(Resources("Microsoft.Authorization/roleAssignments"));
    }

    [TestMethod]
    public void Template_Monitoring_IsApplicationInsightsOnLogAnalytics()
    {
        var insights = Resources("Microsoft.Insights/components").Single();

        Assert.HasCount(1, Resources("Microsoft.OperationalInsights/workspaces"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string)insights["properties"]!["WorkspaceResourceId"]!);
    }

    [TestMethod]
    public void Template_Tables_IncludeEveryTableTheAppUses()
    {
        var defaults = _template["parameters"]!["tableNames"]!["defaultValue"]!.AsArray().Select(n => (string)n!).ToList();
        var deployed = _parameters["tableNames"]!["value"]!.AsArray().Select(n => (string)n!).ToList();

        var used = CatalogTables.Names(new CatalogStorageOptions()).ToList();

        CollectionAssert.IsSubsetOf(used, defaults, "main.bicep tableNames default");
        CollectionAssert.IsSubsetOf(used, deployed, "main.bicepparam tableNames");
        Assert.HasCount(1, Resources("Microsoft.Storage/storageAccounts/tableServices/tables"));
        Assert.HasCount(1, Resources("Microsoft.DocumentDB/databaseAccounts/tables"));
    }

    [TestMethod]
    public void Template_CosmosTable_IsOptionalAndKeyless()
    {
        var account = Resources("Microsoft.DocumentDB/databaseAccounts").Single();

        Assert.IsTrue((bool)account["properties"]!["disableLocalAuth"]!);
        Assert.AreEqual(false, (bool?)_template["parameters"]!["useCosmosTable"]!["defaultValue"]);
        Assert.Contains("useCosmosTable", (string)ModuleDeployment("cosmos-table")["condition"]!);
    }

    [TestMethod]
    public void Template_Outputs_IncludeApiBaseUrl()
    {
        var url = (string?)_template["outputs"]!["apiBaseUrl"]!["value"];

        Assert.StartsWith("[format('https://{0}/api'", url);
    }

    [TestMethod]
    public void Template_TimerSchedules_SetEverySettingTheTimersName()
    {
        var settings = typeof(HealthFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()?.Schedule)
            .OfType<string>()
            .Select(schedule => SettingReference().Match(schedule))
            .Where(match => match.Success)
            .Select(match => match.Groups["setting"].Value)
            .ToList();
        var defaults = _template["parameters"]!["maintenanceSchedules"]!["defaultValue"]!.AsObject();
        var naming = (string)_template["variables"]!["maintenanceSettings"]!;

        Assert.IsNotEmpty(settings, "no timer function reads its schedule from a setting");
        Assert.Contains("'Maintenance__{0}Schedule'", naming);
        foreach (var setting in settings)
        {
            var key = MaintenanceSetting().Match(setting);
            Assert.IsTrue(key.Success, $"{setting}: main.bicep sets only Maintenance__<Job>Schedule settings");
            Assert.IsTrue(defaults.ContainsKey(key.Groups["job"].Value), $"{setting}: add {key.Groups["job"].Value} to maintenanceSchedules in infra/main.bicep");
            Assert.HasCount(6, ((string)defaults[key.Groups["job"].Value]!).Split(' '), $"{setting}: NCRONTAB has six fields");
        }
    }

    [TestMethod]
    public void Template_RequestBodyLimit_HostAndAppShareTheLargestBodyTheAppAccepts()
    {
        var settings = _template["variables"]!["appSettings"]!.AsObject();
        var parameter = _template["parameters"]!["maxRequestBytes"]!;

        Assert.AreEqual(new ComponentCatalog.Catalog.CatalogOptions().MaxImportBytes, (int)parameter["defaultValue"]!);
        Assert.AreEqual(new ComponentCatalog.Auth.RequestLimitOptions().MaxRequestBytes, (long)parameter["defaultValue"]!);
        Assert.AreEqual(67108864, (int)_parameters["maxRequestBytes"]!["value"]!);
        foreach (var setting in new[] { "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", "Catalog__MaxRequestBytes", "Catalog__MaxImportBytes" })
        {
            Assert.AreEqual("[string(parameters('maxRequestBytes'))]", (string?)settings[setting], setting);
        }
    }

    [TestMethod]
    public void Template_PrincipalHeader_IsTrustedOnlyWhenSignInIsOnAndTheAppWasChecked()
    {
        var setting = (string)_template["variables"]!["appSettings"]!["Auth__TrustAppServiceAuthentication"]!;
        var trust = _template["parameters"]!["trustWebSignInPrincipal"]!;

        Assert.AreEqual("bool", (string?)trust["type"]);
        Assert.IsFalse((bool)trust["defaultValue"]!, "Flex Consumption documents EasyAuth as unsupported: trusting the header is opt-in");
        StringAssert.Contains(setting, "parameters('trustWebSignInPrincipal')");
        StringAssert.Contains(setting, "parameters('webSignInClientId')");
        StringAssert.StartsWith(setting, "[string(and(");
    }

    [TestMethod]
    public void Template_AppSignIn_IsOffWithoutAClientId_AndItsSecretsAreSecureParameters()
    {
        var settings = (string)_template["variables"]!["appSignInSettings"]!;
        var site = Resources("Microsoft.Web/sites").Single();

        StringAssert.StartsWith(settings, "[if(empty(parameters('appSignInClientId')), createObject(),");
        foreach (var setting in new[] { "WebSignIn__Authority", "WebSignIn__ClientId", "WebSignIn__ClientSecret", "WebSignIn__CookieKey", "WebSignIn__PreviousCookieKey", "WebSignIn__RedirectUri" })
        {
            StringAssert.Contains(settings, $"'{setting}'", setting);
        }
        foreach (var secret in new[] { "appSignInClientSecret", "appSignInCookieKey", "appSignInPreviousCookieKey" })
        {
            Assert.AreEqual("securestring", (string?)_template["parameters"]![secret]!["type"], secret);
        }
        Assert.AreEqual(string.Empty, (string?)_template["parameters"]!["appSignInClientId"]!["defaultValue"]);
        Assert.AreEqual("[parameters('identityId')]", (string?)site["properties"]!["keyVaultReferenceIdentity"], "Key Vault references resolve with the app's identity");
    }

    [TestMethod]
    public void Template_AppSettings_AreASecureModuleParameter()
    {
        var module = ModuleDeployment("function-app");
        var parameter = module["properties"]!["template"]!["parameters"]!["appSettings"]!;

        Assert.AreEqual("secureObject", (string?)parameter["type"]);
        Assert.AreEqual("securestring", (string?)_template["parameters"]!["pagingKey"]!["type"]);
        Assert.Contains("Catalog__PagingKey", PropertyNames(_template));
    }

    [TestMethod]
    public void AzureYaml_ApiService_IsTheTaggedFunctionApp()
    {
        var yaml = File.ReadAllLines(Path.Combine(RepoPaths.Root, "azure.yaml")).Select(l => l.Trim()).ToList();
        var site = Resources("Microsoft.Web/sites").Single();
        var serviceTags = ModuleDeployment("function-app")["properties"]!["parameters"]!["serviceTags"]!["value"]!;

        Assert.Contains("api:", yaml);
        Assert.Contains("project: ./FunctionsApp", yaml);
        Assert.Contains("language: dotnet", yaml);
        Assert.Contains("host: function", yaml);
        Assert.Contains("path: infra", yaml);
        Assert.AreEqual("api", (string?)serviceTags["azd-service-name"]);
        Assert.Contains("serviceTags", (string)site["tags"]!);
    }

    [GeneratedRegex("^%(?<setting>[^%]+)%$")]
    private static partial Regex SettingReference();

    [GeneratedRegex("^Maintenance__(?<job>[A-Za-z]+)Schedule$")]
    private static partial Regex MaintenanceSetting();

    /// <summary>Resources of a type anywhere in the template, nested module templates included.</summary>
    private static List<JsonObject> Resources(string type) =>
    [
        .. JsonNodes.Descendants(_template).OfType<JsonObject>()
            .Where(o => (string?)(o["type"] as JsonValue) == type && o.ContainsKey("apiVersion")),
    ];

    private static JsonObject ModuleDeployment(string name) =>
        Resources("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == name);

    private static HashSet<string> PropertyNames(JsonNode node) =>
        [.. JsonNodes.Descendants(node).OfType<JsonObject>().SelectMany(o => o.Select(p => p.Key))];

}
