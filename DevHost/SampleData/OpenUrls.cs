namespace DevHost.SampleData;

/// <summary>What a new user should open once the host is up, printed after the function list.</summary>
internal static class OpenUrls
{
    public const string Heading = "Open in a browser or with curl:";

    public static string Format(string baseUrl) => $"""

        {Heading}
                {baseUrl}/                                 the site (pages at the root)
                {baseUrl}/api/components                   the components (token: dotnet run --project DevHost -- token --role Catalog.Reader)
                {baseUrl}/api/graph?format=mermaid         the dependency graph
                {baseUrl}/api/openapi.json                 every route (no token needed)


        """;
}
