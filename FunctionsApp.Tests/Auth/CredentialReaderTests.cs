using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Errors;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Tests.Auth;

/// <summary>Header hygiene: repeated, folded, oversized or mixed credentials are 400; other schemes 401.</summary>
[TestClass]
public sealed class CredentialReaderTests
{
    private static HttpHeadersCollection Headers(params (string Name, string Value)[] headers)
    {
        var collection = new HttpHeadersCollection();
        foreach (var group in headers.GroupBy(h => h.Name))
        {
            collection.TryAddWithoutValidation(group.Key, group.Select(h => h.Value));
        }
        return collection;
    }

    private static HttpStatusCode StatusOf(Action read)
    {
        try
        {
            read();
            return HttpStatusCode.OK;
        }
        catch (CatalogException e)
        {
            return ProblemMapper.Map(e).Status;
        }
    }

    [TestMethod]
    public void Read_Bearer_ReturnsToken()
    {
        var credentials = CredentialReader.Read(Headers(("Authorization", "Bearer abc.def.ghi")), trustClientPrincipal: false);

        Assert.AreEqual(new Credentials(CredentialKind.Bearer, "abc.def.ghi"), credentials);
    }

    [TestMethod]
    public void Read_LowercaseScheme_Accepted()
    {
        var credentials = CredentialReader.Read(Headers(("Authorization", "bearer abc")), trustClientPrincipal: false);

        Assert.AreEqual("abc", credentials.Value);
    }

    [TestMethod]
    public void Read_ApiKey_ReturnsKey()
    {
        var credentials = CredentialReader.Read(Headers(("X-Api-Key", "cck_x")), trustClientPrincipal: false);

        Assert.AreEqual(new Credentials(CredentialKind.ApiKey, "cck_x"), credentials);
    }

    [TestMethod]
    public void Read_Nothing_ReturnsNone()
    {
        Assert.AreEqual(CredentialKind.None, CredentialReader.Read(Headers(), trustClientPrincipal: true).Kind);
    }

    [TestMethod]
    [DataRow("Authorization", "Bearer a", "Bearer b")]
    [DataRow("X-Api-Key", "k1", "k2")]
    public void Read_RepeatedHeader_Returns400(string name, string first, string second)
    {
        Assert.AreEqual(HttpStatusCode.BadRequest, StatusOf(() => CredentialReader.Read(Headers((name, first), (name, second)), false)));
    }

    [TestMethod]
    [DataRow("Authorization", "Bearer a, Bearer b")]
    [DataRow("X-Api-Key", "k1,k2")]
    public void Read_CommaFoldedHeader_Returns400(string name, string value)
    {
        Assert.AreEqual(HttpStatusCode.BadRequest, StatusOf(() => CredentialReader.Read(Headers((name, value)), false)));
    }

    [TestMethod]
    [DataRow("Authorization", "Bearer ")]
    [DataRow("X-Api-Key", "")]
    public void Read_OversizedHeader_Returns400(string name, string prefix)
    {
        var value = prefix + new string('a', CredentialReader.MaxHeaderLength + 1 - prefix.Length);
        var exactlyMax = prefix + new string('a', CredentialReader.MaxHeaderLength - prefix.Length);

        Assert.AreEqual(HttpStatusCode.BadRequest, StatusOf(() => CredentialReader.Read(Headers((name, value)), false)));
        Assert.AreEqual(HttpStatusCode.OK, StatusOf(() => CredentialReader.Read(Headers((name, exactlyMax)), false)));
    }

    [TestMethod]
    public void Read_AuthorizationAndApiKey_Returns400()
    {
        Assert.AreEqual(HttpStatusCode.BadRequest,
            StatusOf(() => CredentialReader.Read(Headers(("Authorization", "Bearer a"), ("X-Api-Key", "k")), false)));
    }

    [TestMethod]
    [DataRow("Bearer")]
    [DataRow("Bearer a b")]
    public void Read_MalformedBearer_Returns400(string value)
    {
        Assert.AreEqual(HttpStatusCode.BadRequest, StatusOf(() => CredentialReader.Read(Headers(("Authorization", value)), false)));
    }

    [TestMethod]
    public void Read_BasicScheme_Returns401WithBearerChallenge()
    {
        var failure = Assert.ThrowsExactly<UnauthorizedException>(() =>
            CredentialReader.Read(Headers(("Authorization", "Basic dXNlcjpwYXNz")), false));

        Assert.AreEqual("Bearer", ProblemMapper.Map(failure).Headers!["WWW-Authenticate"]);
    }

    [TestMethod]
    public void Read_ClientPrincipalNotTrusted_Ignored()
    {
        var credentials = CredentialReader.Read(Headers(("X-MS-CLIENT-PRINCIPAL", "eyJ9")), trustClientPrincipal: false);

        Assert.AreEqual(CredentialKind.None, credentials.Kind);
    }

    [TestMethod]
    public void Read_ClientPrincipalTrusted_Returned()
    {
        var credentials = CredentialReader.Read(Headers(("X-MS-CLIENT-PRINCIPAL", "eyJ9")), trustClientPrincipal: true);

        Assert.AreEqual(new Credentials(CredentialKind.ClientPrincipal, "eyJ9"), credentials);
    }

    [TestMethod]
    public void Read_LargeTrustedClientPrincipal_AcceptedUpToItsOwnLimit()
    {
        var large = new string('e', CredentialReader.MaxHeaderLength * 2);
        var tooLarge = new string('e', CredentialReader.MaxClientPrincipalLength + 1);

        Assert.AreEqual(large, CredentialReader.Read(Headers(("X-MS-CLIENT-PRINCIPAL", large)), trustClientPrincipal: true).Value);
        Assert.AreEqual(HttpStatusCode.BadRequest, StatusOf(() => CredentialReader.Read(Headers(("X-MS-CLIENT-PRINCIPAL", tooLarge)), true)));
    }

    [TestMethod]
    public void ToString_NeverShowsTheSecret()
    {
        Assert.DoesNotContain("s3cret", new Credentials(CredentialKind.ApiKey, "s3cret").ToString());
    }
}
