using Azure;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Storage;

/// <summary>
/// The only place storage failures are translated. Above this edge nobody sees
/// <see cref="RequestFailedException"/>: 404 → null / NotFound, conflicts → our exceptions,
/// everything else (timeouts, 5xx, unreachable, a storage that hangs past <see cref="StorageDeadlinePolicy"/>)
/// → 503 without the storage's text. A caller that cancelled (a client that went away) gets its
/// <see cref="OperationCanceledException"/> back: that is not a storage failure.
/// </summary>
internal static class StorageErrors
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> action, CancellationToken ct = default)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (ct.IsCancellationRequested && IsCancellation(e))
        {
            throw new OperationCanceledException("The caller cancelled the storage call.", e, ct);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException(e);
        }
    }

    public static bool IsStatus(Exception e, int status) => e is RequestFailedException r && r.Status == status;

    private static bool IsCancellation(Exception e) => e switch
    {
        OperationCanceledException => true,
        AggregateException a => a.InnerExceptions.Any(IsCancellation),
        RequestFailedException { InnerException: { } inner } => IsCancellation(inner),
        _ => false,
    };

    private static bool IsUnavailable(Exception e) => e switch
    {
        CatalogException => false,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.All(IsUnavailable),
        HttpRequestException or TimeoutException or TaskCanceledException or IOException => true,
        _ => false,
    };
}
