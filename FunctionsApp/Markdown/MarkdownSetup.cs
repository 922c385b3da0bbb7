using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ComponentCatalog.Markdown;

internal static class MarkdownSetup
{
    public static FunctionsApplicationBuilder AddMarkdown(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MarkdownTemplate>();
        return builder;
    }
}
