using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Support;

internal static class Documents
{
    public static ComponentDocument Minimal(string title = "Payments API", string owner = "payments") => new()
    {
        Title = title,
        Owner = owner,
        Description = "Takes card payments and refunds for the web shop.",
    };

    public static ComponentDocument Full(string title = "Payments API", string owner = "payments") => new()
    {
        Title = title,
        Owner = owner,
        FileLocation = "backend/payments/api",
        Description = "Takes card payments and refunds for the web shop.",
        Dependencies = new DependenciesSection
        {
            ExternalLibraries = new[] { new NamedItem("Stripe.net", "Card processing") }.ToEquatableList(),
            InternalModules = new[] { new NamedItem("ledger", "Books every movement") }.ToEquatableList(),
        },
        ClassStructure = new ContentSection { Code = new[] { new CodeBlock("csharp", "public sealed class PaymentService { }") }.ToEquatableList() },
        ApiEndpoints = new ApiEndpointsSection
        {
            Endpoints = new[] { new ApiEndpoint { Method = "POST", Route = "/payments", Description = "Charge a card" } }.ToEquatableList(),
        },
        Caching = new CachingSection { CacheKeys = "payment:{id}", CacheDuration = "60 s", InvalidationStrategy = "On refund" },
        RelatedComponents = new[] { new RelatedComponent("ledger", "writes to") }.ToEquatableList(),
        Notes = new NotesSection { KnownIssues = "Refunds over 10k need manual approval." },
        Tags = new[] { "billing", "core" }.ToEquatableList(),
        Lifecycle = Lifecycle.Production,
    };
}
