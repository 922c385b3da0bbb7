using System.ComponentModel.DataAnnotations;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Security;
using DevHost.Settings;

namespace ComponentCatalog.Tests.DevHost;

/// <summary>The dev host's check of the worker's settings against the app's own options types.</summary>
[TestClass]
public sealed class SettingsCheckTests
{
    private static string AppAssembly => typeof(CatalogOptions).Assembly.Location;

    private static Dictionary<string, string> Settings(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    [TestMethod]
    public void OptionsTypes_BuiltApp_FindsTheOptionsTypesTheAppBinds()
    {
        var names = SettingsCheck.OptionsTypes(typeof(CatalogOptions).Assembly).Select(t => t.Name).ToArray();

        CollectionAssert.IsSubsetOf(
            new[] { nameof(AuthOptions), nameof(CatalogOptions), nameof(MaintenanceOptions), nameof(RateLimitOptions), nameof(RequestLimitOptions) }, names);
    }

    [TestMethod]
    public void Readme_ConfigurationTable_GivesEveryRangeAsTheAttributesSay()
    {
        var readme = File.ReadAllLines(Path.Combine(global::DevHost.RepoPaths.Root, "README.md"));

        foreach (var type in SettingsCheck.OptionsTypes(typeof(CatalogOptions).Assembly))
        {
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttributes(typeof(RangeAttribute), true).SingleOrDefault() is not RangeAttribute range)
                {
                    continue;
                }
                var setting = $"{SettingsCheck.SectionOf(type)}__{property.Name}";
                var row = readme.FirstOrDefault(l => l.StartsWith($"| `{setting}`", StringComparison.Ordinal));
                Assert.IsNotNull(row, $"README.md's configuration table has no row for {setting}");
                Assert.Contains($"| {range.Minimum}–{range.Maximum} |", row, $"README.md gives another range for {setting}");
            }
        }
    }

    [TestMethod]
    public void OptionsTypes_EveryAppTypeWithValidationAttributes_NamesItsSection()
    {
        var validated = typeof(CatalogOptions).Assembly.GetTypes()
            .Where(t => t.GetProperties().Any(p => p.GetCustomAttributes(typeof(ValidationAttribute), true).Length > 0));

        foreach (var type in validated)
        {
            Assert.IsNotNull(SettingsCheck.SectionOf(type), $"{type.FullName} has validated settings but no {SettingsCheck.SectionField}: the dev host could not check them.");
        }
    }

    [TestMethod]
    public void Validate_SampleSettings_NoErrors()
    {
        var sample = LocalSettings.Load(global::DevHost.RepoPaths.Root).Values
            .Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);

        var errors = SettingsCheck.Validate(AppAssembly, sample);

        Assert.IsEmpty(errors, string.Join("\n", errors));
    }

    [TestMethod]
    public void Validate_PermitsPerMinuteOutOfRange_OneLineWithSettingValueAndRange()
    {
        var errors = SettingsCheck.Validate(AppAssembly, Settings(("RateLimit__PermitsPerMinute", "100000000"), ("Auth__Issuer", "i"), ("Auth__Audience", "a")));

        Assert.HasCount(1, errors);
        Assert.AreEqual("RateLimit__PermitsPerMinute=100000000 is outside its valid range 1–1000000.", errors[0]);
    }

    [TestMethod]
    public void Validate_NotANumber_SaysSoWithTheRange()
    {
        var errors = SettingsCheck.Validate([typeof(CatalogOptions)], Settings(("Catalog__CacheSeconds", "soon")));

        Assert.AreEqual("Catalog__CacheSeconds=soon is not a valid whole number in the range 0–86400.", errors.Single());
    }

    [TestMethod]
    public void Validate_LongRangeAndCaseOfTheName_KeepsTheNameAsWritten()
    {
        var errors = SettingsCheck.Validate([typeof(CatalogOptions)], Settings(("CATALOG__cacheSizeLimitBytes", "12")));

        Assert.AreEqual("CATALOG__cacheSizeLimitBytes=12 is outside its valid range 1048576–4294967296.", errors.Single());
    }

    [TestMethod]
    public void Validate_RequiredMissingAndShortKey_NamedWithoutPrintingTheKey()
    {
        var errors = SettingsCheck.Validate([typeof(AuthOptions)], Settings(("Auth__Audience", "a"), ("Auth__DevSigningKey", "short-secret")));

        Assert.HasCount(2, errors);
        Assert.Contains("Auth__Issuer is required and not set.", errors);
        var keyError = errors.Single(e => e.StartsWith("Auth__DevSigningKey", StringComparison.Ordinal));
        Assert.Contains("32", keyError);
        Assert.DoesNotContain("short-secret", keyError);
    }

    [TestMethod]
    public void Validate_ColonSeparatedName_ReadLikeTheWorkerReadsIt()
    {
        var errors = SettingsCheck.Validate([typeof(MaintenanceOptions)], Settings(("Maintenance:LeaseSeconds", "5")));

        Assert.AreEqual("Maintenance:LeaseSeconds=5 is outside its valid range 10–3600.", errors.Single());
    }

    [TestMethod]
    public void Validate_UnsetSettings_DefaultsAreValid()
    {
        var errors = SettingsCheck.Validate([typeof(CatalogOptions), typeof(RateLimitOptions), typeof(MaintenanceOptions), typeof(RequestLimitOptions)], Settings());

        Assert.IsEmpty(errors, string.Join("\n", errors));
    }
}
