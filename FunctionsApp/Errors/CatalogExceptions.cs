namespace ComponentCatalog.Errors;

/// <summary>
/// The handful of failures the app raises on purpose. <see cref="ProblemMapper"/> turns each into
/// a status code and an RFC 9457 body; anything else becomes a generic 500.
/// </summary>
internal abstract class CatalogException(string message) : Exception(message);

internal sealed class NotFoundException(string message) : CatalogException(message);

/// <summary>409: the name is taken, or the state does not allow the operation.</summary>
internal sealed class ConflictException(string message) : CatalogException(message);

/// <summary>412: <c>If-Match</c> / <c>If-None-Match</c> did not hold.</summary>
internal sealed class PreconditionFailedException(string message) : CatalogException(message);

/// <summary>428: a change to an existing document without <c>If-Match</c>.</summary>
internal sealed class PreconditionRequiredException(string message) : CatalogException(message);

/// <summary>400 with the offending fields: <c>{ "field": ["message"] }</c>.</summary>
internal sealed class ValidationException : CatalogException
{
    public ValidationException(IReadOnlyDictionary<string, string[]> errors, string? message = null)
        : base(message ?? "The request has invalid fields.") => Errors = errors;

    public ValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }, message)
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

internal sealed class UnsupportedMediaTypeException(string message) : CatalogException(message);

internal sealed class NotAcceptableException(string message) : CatalogException(message);

internal sealed class PayloadTooLargeException(long limitBytes)
    : CatalogException($"The request body is larger than the limit of {limitBytes} bytes.")
{
    public long LimitBytes { get; } = limitBytes;
}

internal sealed class UnauthorizedException(string message) : CatalogException(message);

/// <summary>401 for credentials that were sent but not accepted (bad, expired or revoked token or key).</summary>
internal sealed class InvalidCredentialsException()
    : CatalogException("The credentials were not accepted: the token or key is invalid, expired or revoked.");

internal sealed class ForbiddenException(string message) : CatalogException(message);

/// <summary>502: a service the request depends on (the identity provider at sign-in) did not answer. Never carries its error text.</summary>
internal sealed class UpstreamUnavailableException(string message) : CatalogException(message);

internal sealed class RateLimitedException(TimeSpan retryAfter)
    : CatalogException("Too many requests; slow down and retry later.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>503: storage did not answer in time. Never carries the storage's own error text.</summary>
internal sealed class StorageUnavailableException(Exception inner)
    : CatalogException("The catalog's storage is not available right now; retry shortly.")
{
    public Exception Inner { get; } = inner;
}
