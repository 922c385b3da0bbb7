using ComponentCatalog.Security;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Tests.Security;

[TestClass]
public sealed class ClientAddressTests
{
    private static HttpHeadersCollection Headers(params (string Name, string Value)[] headers)
    {
        var collection = new HttpHeadersCollection();
        foreach (var (name, value) in headers)
        {
            collection.TryAddWithoutValidation(name, value);
        }
        return collection;
    }

    [TestMethod]
    [DataRow("X-Forwarded-For", "203.0.113.7, 10.0.0.1")]
    [DataRow("X-Forwarded-For", "198.51.100.9")]
    [DataRow("X-Real-IP", "[2001:db8::1]:443")]
    public void From_NoTrustedProxy_IgnoresWhatTheClientWrote(string header, string value)
    {
        Assert.AreEqual(ClientAddress.Unknown, ClientAddress.From(Headers((header, value)), 0));
    }

    [TestMethod]
    public void From_OneTrustedHop_TakesTheEntryTheProxyAppendedNotTheSpoofedOne()
    {
        var headers = Headers(("X-Forwarded-For", "1.1.1.1, 198.51.100.9:50123"));

        Assert.AreEqual("198.51.100.9", ClientAddress.From(headers, 1));
    }

    [TestMethod]
    public void From_TwoTrustedHops_TakesSecondFromTheRight()
    {
        Assert.AreEqual("198.51.100.9", ClientAddress.From(Headers(("X-Forwarded-For", "6.6.6.6, 198.51.100.9, 10.0.0.4")), 2));
    }

    [TestMethod]
    public void From_FewerEntriesThanTrustedHops_Unknown()
    {
        Assert.AreEqual(ClientAddress.Unknown, ClientAddress.From(Headers(("X-Forwarded-For", "198.51.100.9")), 2));
    }

    [TestMethod]
    public void From_OneTrustedHopBracketedIPv6WithPort_Canonicalised()
    {
        Assert.AreEqual("2001:db8::1", ClientAddress.From(Headers(("X-Forwarded-For", "[2001:db8::1]:443")), 1));
    }

    [TestMethod]
    [DataRow("not-an-ip")]
    [DataRow("")]
    [DataRow("1.2.3.4.5.6")]
    public void From_Garbage_Unknown(string value)
    {
        Assert.AreEqual(ClientAddress.Unknown, ClientAddress.From(Headers(("X-Forwarded-For", value)), 1));
    }

    [TestMethod]
    public void From_MappedIPv4_Canonicalised()
    {
        Assert.AreEqual("192.0.2.1", ClientAddress.From(Headers(("X-Forwarded-For", "::ffff:192.0.2.1")), 1));
    }
}
