using System.Net;

namespace ComponentCatalog.Errors;

/// <summary>An RFC 9457 problem, plus the headers the status needs (Retry-After, WWW-Authenticate).</summary>
internal sealed record Problem(
    HttpStatusCode Status,
    string Title,
    string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public string Type => $"https://httpstatuses.io/{(int)Status}";
}

/// <summary>The single exception → problem mapping. Pure, so it is tested directly.</summary>
internal static class ProblemMapper
{
    public static Problem Map(Exception exception) => exception switch
    {
        ValidationException e => new(HttpStatusCode.BadRequest, "Validation failed", e.Message, e.Errors),
        NotFoundException e => new(HttpStatusCode.NotFound, "Not found", e.Message),
        ConflictException e => new(HttpStatusCode.Conflict, "Conflict", e.Message),
        PreconditionFailedException e => new(HttpStatusCode.PreconditionFailed, "Precondition failed", e.Message),
        PreconditionRequiredException e => new((HttpStatusCode)428, "Precondition required", e.Message),
        UnsupportedMediaTypeException e => new(HttpStatusCode.UnsupportedMediaType, "Unsupported media type", e.Message),
        NotAcceptableException e => new(HttpStatusCode.NotAcceptable, "Not acceptable", e.Message),
        PayloadTooLargeException e => new(HttpStatusCode.RequestEntityTooLarge, "Payload too large", e.Message),
        UnauthorizedException e => new(HttpStatusCode.Unauthorized, "Unauthorized", e.Message,
            Headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer" }),
        InvalidCredentialsException e => new(HttpStatusCode.Unauthorized, "Unauthorized", e.Message,
            Headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer error=\"invalid_token\"" }),
        ForbiddenException e => new(HttpStatusCode.Forbidden, "Forbidden", e.Message),
        RateLimitedException e => new(HttpStatusCode.TooManyRequests, "Too many requests", e.Message,
            Headers: new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds(e.RetryAfter) }),
        UpstreamUnavailableException e => new(HttpStatusCode.BadGateway, "Bad gateway", e.Message,
            Headers: new Dictionary<string, string> { ["Retry-After"] = "5" }),
        StorageUnavailableException e => new(HttpStatusCode.ServiceUnavailable, "Service unavailable", e.Message,
            Headers: new Dictionary<string, string> { ["Retry-After"] = "5" }),
        _ => new(HttpStatusCode.InternalServerError, "Internal error",
            "The server could not complete the request. Quote the traceId when reporting it."),
    };

    private static string RetryAfterSeconds(TimeSpan delay) =>
        Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
