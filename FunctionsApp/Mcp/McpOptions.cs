using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Mcp;

/// <summary>Settings under <c>Mcp__*</c> (docs/mcp.md).</summary>
internal sealed class McpOptions
{
    public const string SettingsSection = "Mcp";

    /// <summary>Most characters of text one tool result or resource carries; longer answers are cut and say how to get the rest.</summary>
    [Range(1000, 1_000_000)]
    public int MaxResultChars { get; set; } = 60_000;

    /// <summary>Largest MCP request body; keep it above the largest document a client may validate, JSON-encoded.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Largest document <c>validate_document</c> accepts (UTF-8 bytes); the API's <c>Catalog__MaxBodyBytes</c> by default.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// OAuth scopes a client should ask the authorization server for, advertised in the protected-resource metadata.
    /// Empty: <c>{Auth__Audience}/.default</c> (Entra ID's form).
    /// </summary>
    public string[] Scopes { get; set; } = [];
}
