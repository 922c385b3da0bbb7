using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Events;

/// <summary>
/// Tells this instance's delivery loop that a change committed here (docs/adr/0060-change-events.md): the loop
/// runs delivery once the change has passed the feed's horizon, instead of waiting for the next timer. Bursts
/// coalesce: one pending wake-up, due after the latest commit.
/// </summary>
internal sealed class DeliverySignal(TimeProvider clock, EventsOptions options)
{
    /// <summary>Past the horizon by this much, so the feed surely reads the change (clock granularity).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(20);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _dueTicks;

    /// <summary>After a commit on this instance (never fails, never blocks).</summary>
    public void Committed()
    {
        var due = (clock.GetUtcNow() + options.Horizon + Margin).UtcTicks;
        long seen;
        while ((seen = Interlocked.Read(ref _dueTicks)) < due && Interlocked.CompareExchange(ref _dueTicks, due, seen) != seen)
        {
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Waits for a commit, then until what it committed can be read from the feed.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        await _wake.Reader.ReadAsync(ct);
        var wait = new DateTimeOffset(Interlocked.Read(ref _dueTicks), TimeSpan.Zero) - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, ct);
        }
    }
}

/// <summary>
/// Immediate delivery on the instance that committed: a loop woken by <see cref="DeliverySignal"/> that runs
/// <see cref="EventDelivery.RunAsync"/> (the same leases, cursors and order as the <c>DeliverEvents</c> timer,
/// which stays the safety net for changes committed on other instances and for runs that failed here).
/// </summary>
internal sealed partial class LocalDelivery(DeliverySignal signal, EventDelivery delivery, ILogger<LocalDelivery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(stoppingToken);
                await delivery.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The timer retries what this run did not deliver; the loop must live on.
                LogRunFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Immediate event delivery failed; the DeliverEvents timer will retry")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
