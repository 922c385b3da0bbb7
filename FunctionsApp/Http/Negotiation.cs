using System.Net.Http.Headers;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Http;

/// <summary>The representations a document has.</summary>
internal enum DocumentFormat
{
    Json,
    Markdown,
}

/// <summary><c>Accept</c> negotiation between JSON (the default) and Markdown. Pure, so it is tested directly.</summary>
internal static class Negotiation
{
    /// <summary>
    /// JSON unless the client prefers <c>text/markdown</c> (higher q, or equal q through a more specific range);
    /// <see cref="NotAcceptableException"/> when the header excludes both. A missing or unparsable header means JSON.
    /// </summary>
    public static DocumentFormat Choose(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return DocumentFormat.Json;
        }

        var ranges = new List<(string Type, string Subtype, double Quality)>();
        foreach (var part in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MediaTypeWithQualityHeaderValue.TryParse(part, out var range) || range.MediaType?.Split('/') is not [var type, var subtype])
            {
                continue;
            }
            ranges.Add((type.ToLowerInvariant(), subtype.ToLowerInvariant(), Math.Clamp(range.Quality ?? 1.0, 0, 1)));
        }
        if (ranges.Count == 0)
        {
            return DocumentFormat.Json;
        }

        var json = Preference(ranges, "application", "json");
        var markdown = Preference(ranges, "text", "markdown");
        if (json.Quality <= 0 && markdown.Quality <= 0)
        {
            throw new NotAcceptableException("This resource is available as application/json or text/markdown.");
        }
        return markdown.Quality > json.Quality || (markdown.Quality == json.Quality && markdown.Specificity > json.Specificity)
            ? DocumentFormat.Markdown
            : DocumentFormat.Json;
    }

    /// <summary>The quality the most specific matching range gives a type (RFC 9110 §12.5.1).</summary>
    private static (double Quality, int Specificity) Preference(List<(string Type, string Subtype, double Quality)> ranges, string type, string subtype)
    {
        var best = (Quality: 0.0, Specificity: -1);
        foreach (var range in ranges)
        {
            var specificity = range.Type == type && range.Subtype == subtype ? 2
                : range.Type == type && range.Subtype == "*" ? 1
                : range.Type == "*" && range.Subtype == "*" ? 0
                : -1;
            if (specificity > best.Specificity || (specificity == best.Specificity && specificity >= 0 && range.Quality > best.Quality))
            {
                best = (range.Quality, specificity);
            }
        }
        return best.Specificity < 0 ? (0, -1) : best;
    }

    /// <summary>
    /// Whether <c>Accept-Encoding</c> allows gzip (RFC 9110 §12.5.3): <c>gzip</c> (or <c>x-gzip</c>) listed with q &gt; 0,
    /// or <c>*</c> with q &gt; 0 when gzip is not listed. A missing header means identity: only what a client asked for
    /// is compressed.
    /// </summary>
    public static bool AcceptsGzip(string? acceptEncoding)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding))
        {
            return false;
        }
        double? gzip = null, any = null;
        foreach (var part in acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!StringWithQualityHeaderValue.TryParse(part, out var coding))
            {
                continue;
            }
            var quality = Math.Clamp(coding.Quality ?? 1.0, 0, 1);
            if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = Math.Max(gzip ?? 0, quality);
            }
            else if (coding.Value == "*")
            {
                any = quality;
            }
        }
        return (gzip ?? any ?? 0) > 0;
    }
}
