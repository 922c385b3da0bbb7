using System.Collections.Frozen;
using System.Security.Cryptography;

namespace ComponentCatalog.Web;

/// <summary>One static file: its bytes, media type and fingerprinted URL (<c>/assets/site.3f2a9c1e.css</c>).</summary>
public sealed record SiteAsset(string FileName, string Url, string ContentType, byte[] Bytes);

/// <summary>
/// The embedded files under <c>wwwroot/</c>, each served at a URL carrying a hash of its content, so it can be
/// cached for a year (<c>immutable</c>): a changed file gets a new URL.
/// </summary>
public static class SiteAssets
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    private static readonly FrozenDictionary<string, SiteAsset> ByName = Load();
    private static readonly FrozenDictionary<string, SiteAsset> ByUrlName = ByName.Values.ToFrozenDictionary(a => a.Url["/assets/".Length..], StringComparer.Ordinal);

    /// <summary>The fingerprinted URL of <paramref name="fileName"/> (e.g. <c>site.css</c>).</summary>
    public static string Url(string fileName) => ByName.TryGetValue(fileName, out var asset)
        ? asset.Url
        : throw new ArgumentException($"No asset '{fileName}'.", nameof(fileName));

    /// <summary>The asset behind a fingerprinted file name, or null (also for a stale fingerprint).</summary>
    public static SiteAsset? Find(string urlName) => ByUrlName.GetValueOrDefault(urlName);

    public static IEnumerable<SiteAsset> All => ByName.Values;

    private static FrozenDictionary<string, SiteAsset> Load()
    {
        var assembly = typeof(SiteAssets).Assembly;
        var assets = new Dictionary<string, SiteAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("site/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var fileName = resource["site/".Length..];
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..10];
            var extension = Path.GetExtension(fileName);
            var url = $"/assets/{Path.GetFileNameWithoutExtension(fileName)}.{hash}{extension}";
            assets[fileName] = new SiteAsset(fileName, url, ContentType(extension), bytes);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string extension) => extension switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
