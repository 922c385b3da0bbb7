using System.Net;
using Azure;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Tests.Errors;

[TestClass]
public sealed class ProblemMapperTests
{
    public static IEnumerable<object[]> Cases =>
    [
        [new NotFoundException("x"), HttpStatusCode.NotFound],
        [new ConflictException("x"), HttpStatusCode.Conflict],
        [new PreconditionFailedException("x"), HttpStatusCode.PreconditionFailed],
        [new PreconditionRequiredException("x"), (HttpStatusCode)428],
        [new ValidationException("f", "m"), HttpStatusCode.BadRequest],
        [new UnsupportedMediaTypeException("x"), HttpStatusCode.UnsupportedMediaType],
        [new NotAcceptableException("x"), HttpStatusCode.NotAcceptable],
        [new PayloadTooLargeException(10), HttpStatusCode.RequestEntityTooLarge],
        [new UnauthorizedException("x"), HttpStatusCode.Unauthorized],
        [new ForbiddenException("x"), HttpStatusCode.Forbidden],
        [new RateLimitedException(TimeSpan.FromSeconds(3)), HttpStatusCode.TooManyRequests],
        [new StorageUnavailableException(new RequestFailedException(503, "secret storage text")), HttpStatusCode.ServiceUnavailable],
        [new UpstreamUnavailableException("x"), HttpStatusCode.BadGateway],
        [new InvalidOperationException("Server=db;Password=hunter2"), HttpStatusCode.InternalServerError],
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Map_EachException_HasItsStatusAndNoInnerText(Exception exception, HttpStatusCode expected)
    {
        var problem = ProblemMapper.Map(exception);

        Assert.AreEqual(expected, problem.Status);
        Assert.AreEqual($"https://httpstatuses.io/{(int)expected}", problem.Type);
        Assert.DoesNotContain("hunter2", problem.Detail);
        Assert.DoesNotContain("secret storage text", problem.Detail);
    }

    [TestMethod]
    public void Map_Validation_CarriesFieldErrors()
    {
        var problem = ProblemMapper.Map(new ValidationException(new Dictionary<string, string[]> { ["title"] = ["required"] }));

        CollectionAssert.AreEqual(new[] { "required" }, problem.Errors!["title"]);
    }

    [TestMethod]
    public void Map_RateLimited_RoundsRetryAfterUp()
    {
        var problem = ProblemMapper.Map(new RateLimitedException(TimeSpan.FromSeconds(2.2)));

        Assert.AreEqual("3", problem.Headers!["Retry-After"]);
    }

    [TestMethod]
    public void Map_Unauthorized_ChallengesBearer()
    {
        Assert.AreEqual("Bearer", ProblemMapper.Map(new UnauthorizedException("x")).Headers!["WWW-Authenticate"]);
    }
}
