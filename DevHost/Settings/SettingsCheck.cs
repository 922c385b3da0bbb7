using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Configuration;

namespace DevHost.Settings;

/// <summary>
/// Checks the worker's settings against the app's own options types before the worker starts, so a value outside
/// its range is one line naming the setting, the value and the range instead of the worker's options-validation
/// stack trace. The rules are not copied: the built app assembly is loaded (in a collectible context, nothing in it
/// runs) and every type with a <c>const string SettingsSection</c> is read with its DataAnnotations
/// attributes — the same attributes <c>ValidateDataAnnotations()</c> applies in the worker.
/// </summary>
internal static class SettingsCheck
{
    /// <summary>The constant an options type declares to name its configuration section.</summary>
    public const string SectionField = "SettingsSection";

    private const int MaxShownValueLength = 40;

    /// <summary>One message per setting the worker would refuse; empty when all are valid.</summary>
    /// <param name="appAssemblyPath">The built <c>FunctionsApp.dll</c>.</param>
    /// <param name="settings">The worker's environment (names with <c>__</c> as the worker's configuration reads them).</param>
    public static IReadOnlyList<string> Validate(string appAssemblyPath, IReadOnlyDictionary<string, string> settings)
    {
        var context = new AppContext(appAssemblyPath);
        try
        {
            return Validate(OptionsTypes(context.LoadFromAssemblyPath(Path.GetFullPath(appAssemblyPath))), settings);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Validates <paramref name="settings"/> against the given options types (each with a <see cref="SectionField"/>).</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<Type> optionsTypes, IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), s.Value)))
            .Build();
        var errors = new List<string>();
        foreach (var type in optionsTypes)
        {
            var sectionName = SectionOf(type) ?? throw new ArgumentException($"{type.Name} has no {SectionField}.", nameof(optionsTypes));
            var section = configuration.GetSection(sectionName);
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var attributes = property.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray();
                if (attributes.Length == 0)
                {
                    continue;
                }
                var setting = SettingName(settings, sectionName, property.Name);
                var raw = section[property.Name];
                if (raw is not null)
                {
                    try
                    {
                        property.SetValue(instance, section.GetValue(property.PropertyType, property.Name));
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add($"{setting}={Shown(raw, property.PropertyType)} is not a valid {TypeName(property.PropertyType)}{RangeText(attributes)}.");
                        continue;
                    }
                }
                var value = property.GetValue(instance);
                var validation = new ValidationContext(instance) { MemberName = property.Name, DisplayName = setting };
                if (attributes.FirstOrDefault(a => a.GetValidationResult(value, validation) != ValidationResult.Success) is { } failed)
                {
                    errors.Add(Describe(setting, raw, property.PropertyType, failed));
                }
            }
        }
        return errors;
    }

    /// <summary>The options types of an app assembly: public classes that name their section.</summary>
    public static IEnumerable<Type> OptionsTypes(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            types = exception.Types;
        }
        return types.OfType<Type>().Where(t => t is { IsClass: true, IsAbstract: false } && SectionOf(t) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
    }

    public static string? SectionOf(Type type) =>
        type.GetField(SectionField, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() as string : null;

    private static string Describe(string setting, string? raw, Type type, ValidationAttribute failed) => failed switch
    {
        RangeAttribute range when raw is not null => $"{setting}={Shown(raw, type)} is outside its valid range {Format(range.Minimum)}–{Format(range.Maximum)}.",
        RequiredAttribute => $"{setting} is required and not set.",
        _ => $"{setting}: {failed.FormatErrorMessage(setting)}",
    };

    private static string RangeText(IEnumerable<ValidationAttribute> attributes) =>
        attributes.OfType<RangeAttribute>().FirstOrDefault() is { } range ? $" in the range {Format(range.Minimum)}–{Format(range.Maximum)}" : string.Empty;

    /// <summary>Numbers and switches are shown; text (keys, URLs) only when short, as it may be a secret.</summary>
    private static string Shown(string raw, Type type) =>
        type == typeof(string) && raw.Length > MaxShownValueLength ? $"({raw.Length} characters)" : raw;

    private static string Format(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string TypeName(Type type) => Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) switch
    {
        TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 => "whole number",
        TypeCode.Boolean => "true/false value",
        TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "number",
        _ => type.Name,
    };

    /// <summary>The name as the user wrote it (environment or local settings), else <c>Section__Property</c>.</summary>
    private static string SettingName(IReadOnlyDictionary<string, string> settings, string section, string property)
    {
        var expected = $"{section}__{property}";
        return settings.Keys.FirstOrDefault(k => k.Replace(":", "__", StringComparison.Ordinal).Equals(expected, StringComparison.OrdinalIgnoreCase)) ?? expected;
    }

    /// <summary>
    /// The app's assembly and its private dependencies (from its deps.json); everything the dev host's runtime already
    /// has — the framework, DataAnnotations, configuration — comes from the default context, so attribute types match.
    /// </summary>
    private sealed class AppContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver;

        public AppContext(string appAssemblyPath)
            : base("settings-check", isCollectible: true)
        {
            _resolver = new AssemblyDependencyResolver(Path.GetFullPath(appAssemblyPath));
            Resolving += (context, name) => _resolver.ResolveAssemblyToPath(name) is { } path ? context.LoadFromAssemblyPath(path) : null;
        }

        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
