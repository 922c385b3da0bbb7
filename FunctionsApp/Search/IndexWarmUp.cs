using ComponentCatalog.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Search;

/// <summary>
/// Loads the search index as the worker starts instead of at the first request: on a new instance (a scale-out) the
/// load — from the stored snapshot, else a scan — overlaps the Functions host's own start-up, so the first search
/// waits only for what is left of it (docs/adr/0071-index-memory-and-snapshot.md, revision 3). Start-up does not wait.
/// Storage that is not up yet (the dev host starts its Azurite beside the worker) is tried again with back-off for
/// <see cref="GiveUpAfter"/>; after that the first request loads the index, as it would without this.
/// </summary>
internal sealed partial class IndexWarmUp(ComponentSearch search, TimeProvider clock, ILogger<IndexWarmUp> logger) : BackgroundService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var started = clock.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await search.EnsureCurrentAsync(stoppingToken);
                return;
            }
            catch (StorageUnavailableException) when (clock.GetElapsedTime(started) + delay < GiveUpAfter)
            {
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
            catch (StorageUnavailableException)
            {
                LogGaveUp(logger, GiveUpAfter.TotalSeconds);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Search index not loaded at start: storage was not available for {Seconds} s; the first request loads it")]
    private static partial void LogGaveUp(ILogger logger, double seconds);
}
