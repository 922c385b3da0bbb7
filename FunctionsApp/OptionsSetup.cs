using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComponentCatalog;

/// <summary>The one way settings are bound: a section onto its options type, validated by its attributes at start.</summary>
internal static class OptionsSetup
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="T"/>, validates it by its data annotations when the
    /// app starts, and registers <typeparamref name="T"/> itself for the components that take it.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this FunctionsApplicationBuilder builder, string section)
        where T : class
    {
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
    }
}
