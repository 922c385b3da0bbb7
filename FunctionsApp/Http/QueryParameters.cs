using System.Collections.Specialized;
using System.Globalization;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Http;

/// <summary>Typed query-string values; anything malformed is a 400 naming the parameter.</summary>
internal sealed class QueryParameters(NameValueCollection query)
{
    public string? String(string name, int maxLength = 200)
    {
        var values = query.GetValues(name);
        if (values is null) return null;
        if (values.Length > 1) throw new ValidationException(name, $"Give '{name}' once.");
        var value = values[0]?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length > maxLength) throw new ValidationException(name, $"'{name}' is longer than {maxLength} characters.");
        if (value.Any(char.IsControl)) throw new ValidationException(name, $"'{name}' contains control characters.");
        return value;
    }

    public IReadOnlyList<string> Strings(string name, int maxCount = 10) =>
        query.GetValues(name) is { } values
            ? values.Length > maxCount
                ? throw new ValidationException(name, $"Give '{name}' at most {maxCount} times.")
                : values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList()
            : [];

    public int Int(string name, int min, int max, int fallback) => IntOrNull(name, min, max) ?? fallback;

    public int? IntOrNull(string name, int min, int max)
    {
        var text = String(name);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ValidationException(name, $"'{name}' must be a whole number from {min} to {max}.");
        }
        return value;
    }

    public bool? Bool(string name) => String(name) switch
    {
        null => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ValidationException(name, $"'{name}' must be true or false."),
    };

    public T? Enum<T>(string name) where T : struct, Enum
    {
        var text = String(name);
        if (text is null) return null;
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
               && !int.TryParse(text, out _)
            ? value
            : throw new ValidationException(name, $"'{name}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
    }

    public string OneOf(string name, string fallback, params string[] allowed)
    {
        var text = String(name)?.ToLowerInvariant() ?? fallback;
        return allowed.Contains(text) ? text : throw new ValidationException(name, $"'{name}' must be one of {string.Join(", ", allowed)}.");
    }
}
