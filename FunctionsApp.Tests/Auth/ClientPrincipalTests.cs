using System.Text;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;

namespace ComponentCatalog.Tests.Auth;

[TestClass]
public sealed class ClientPrincipalTests
{
    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    [TestMethod]
    public void Parse_EntraPrincipal_MapsObjectIdRolesAndTeams()
    {
        var encoded = Encode("""
            {"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[
              {"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"oid-1"},
              {"typ":"roles","val":"Catalog.Reader"},{"typ":"roles","val":"Catalog.Writer"},
              {"typ":"teams","val":"payments"}]}
            """);

        var user = ClientPrincipal.Parse(encoded);

        Assert.IsNotNull(user);
        Assert.AreEqual("oid-1", user.Id);
        Assert.AreEqual(CatalogRole.Writer, user.Role);
        Assert.IsTrue(user.Teams.SetEquals(["payments"]));
    }

    [TestMethod]
    public void Parse_CustomRoleType_IsHonoured()
    {
        var encoded = Encode("""{"role_typ":"r","claims":[{"typ":"sub","val":"s"},{"typ":"r","val":"Catalog.Admin"}]}""");

        Assert.AreEqual(new CatalogRole?(CatalogRole.Admin), ClientPrincipal.Parse(encoded)?.Role);
    }

    [TestMethod]
    [DataRow("not base64!")]
    [DataRow("bm90IGpzb24=")]
    [DataRow("e30=")]
    public void Parse_Malformed_ReturnsNull(string encoded)
    {
        Assert.IsNull(ClientPrincipal.Parse(encoded));
    }
}
