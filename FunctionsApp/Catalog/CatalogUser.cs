namespace ComponentCatalog.Catalog;

/// <summary>Roles in order; each includes the ones before it.</summary>
internal enum CatalogRole
{
    None = 0,
    Reader = 1,
    Writer = 2,
    Admin = 3,
}

/// <summary>Who is calling: an id for <c>updatedBy</c> and logs, the strongest role, the teams it writes for.</summary>
internal sealed record CatalogUser(string Id, CatalogRole Role, IReadOnlySet<string> Teams)
{
    /// <summary>Signed in with an API key (a CI pusher), not interactively with a token or the platform's sign-in.</summary>
    public bool ViaApiKey { get; init; }

    /// <summary>A name to show (the website sign-in's <c>name</c> claim); never used to decide anything.</summary>
    public string? DisplayName { get; init; }

    public bool IsAtLeast(CatalogRole role) => Role >= role;

    /// <summary>Writers change documents whose owner is one of their teams; admins change any.</summary>
    public bool CanWriteFor(string? owner) =>
        Role >= CatalogRole.Admin || (Role >= CatalogRole.Writer && owner is not null && Teams.Contains(owner));
}
