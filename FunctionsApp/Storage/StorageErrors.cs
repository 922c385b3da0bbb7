using Azure;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Storage;

/// <summary>
/// The only place storage failures are translated. Above this edge nobody sees
/// <see cref="RequestFailedException"/>: 404 → null / NotFound, conflicts → our exceptions,
/// everything else (timeouts, 5xx, unreachable) → 503 without the storage's text.
/// </summary>
internal static class StorageErrors
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException(e);
        }
    }

    public static bool IsStatus(Exception e, int status) => e is RequestFailedException r && r.Status == status;

    private static bool IsUnavailable(Exception e) => e switch
    {
        CatalogException => false,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.All(IsUnavailable),
        HttpRequestException or TimeoutException or TaskCanceledException or IOException => true,
        _ => false,
    };
}
