using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Events;

internal static class EventsSetup
{
    public static FunctionsApplicationBuilder AddChangeEvents(this FunctionsApplicationBuilder builder)
    {
        builder.AddValidatedOptions<EventsOptions>(EventsOptions.SettingsSection)
            .PostConfigure<IHostEnvironment>((o, env) => o.AllowLoopbackHttp ??= env.IsDevelopment());
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<EventsOptions>>().Value);
        builder.Services.AddSingleton(sp => new OutboundGuard(sp.GetRequiredService<EventsOptions>()));
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddSingleton<EventSender>();
        builder.Services.AddSingleton<EventDelivery>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddHostedService<LocalDelivery>();
        builder.Services.AddSingleton<EventSubscriptions>();
        return builder;
    }
}
