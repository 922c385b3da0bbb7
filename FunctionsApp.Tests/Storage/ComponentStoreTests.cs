using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;

namespace ComponentCatalog.Tests.Storage;

/// <summary>Table Storage limits and faults, against real Azurite.</summary>
[TestClass]
public sealed class ComponentStoreTests
{
    [TestMethod]
    public async Task Create_500KiBMixedScripts_RoundTripsByteIdentical()
    {
        var sut = TestStorage.CreateCatalog();
        var description = MixedText(256_000, seed: 7);
        var document = Documents.Minimal() with { Description = description };

        await sut.Catalog.CreateAsync(document, Users.Payments);
        var read = await sut.Catalog.GetAsync("payments-api");

        Assert.IsGreaterThan(480 * 1024, Encoding.UTF8.GetByteCount(description));
        CollectionAssert.AreEqual(SHA256.HashData(Encoding.UTF8.GetBytes(description)), SHA256.HashData(Encoding.UTF8.GetBytes(read.Document.Description!)));
        var head = await sut.Store.GetHeadAsync("payments-api");
        Assert.IsGreaterThan(1, head!.ChunkRows, "incompressible content spans several chunk rows");
    }

    [TestMethod]
    public async Task Create_UnderOneMiBUtf8ButOverOneMiBUtf16_StoresIntact()
    {
        var sut = TestStorage.CreateCatalog();
        var ascii = RandomAscii(300_000, seed: 3);
        var document = Documents.Minimal() with
        {
            Description = ascii,
            Notes = new NotesSection { ImplementationDetails = RandomAscii(230_000, seed: 4) },
        };

        await sut.Catalog.CreateAsync(document, Users.Payments);
        var read = (await sut.Catalog.GetAsync("payments-api")).Document;

        Assert.IsGreaterThan(1024 * 1024, (ascii.Length + document.Notes.ImplementationDetails!.Length) * 2);
        Assert.AreEqual(ascii, read.Description);
        Assert.AreEqual(document.Notes, read.Notes);
    }

    [TestMethod]
    [DataRow(30_000)]
    [DataRow(32_768)]
    [DataRow(32_769)]
    public async Task Create_SectionAtStringPropertyLimit_StoresIntact(int units)
    {
        var sut = TestStorage.CreateCatalog();
        var text = MixedText(units, seed: units);
        Assert.HasCount(units, text);
        var document = Documents.Minimal() with { Logging = new ContentSection { Text = text } };

        await sut.Catalog.CreateAsync(document, Users.Payments);

        Assert.AreEqual(text, (await sut.Catalog.GetAsync("payments-api")).Document.Logging!.Text);
    }

    [TestMethod]
    public async Task Write_CommitThenFailThenRetry_IsOneRevision()
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var fault = new FailAfterCommitPolicy();
        clientOptions.AddPolicy(fault, HttpPipelinePosition.PerRetry);
        var catalog = TestStorage.CreateCatalog(clientOptions: clientOptions).Catalog;
        await catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        fault.Armed = true;

        var (stored, _) = await catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "once" }, new("\"1\"", null), Users.Payments);

        Assert.AreEqual(1, fault.Injected, "the fault fired");
        Assert.AreEqual(2, stored.Document.Revision);
        Assert.HasCount(2, await catalog.ListRevisionsAsync("payments-api"));
        Assert.AreEqual("once", (await catalog.GetAsync("payments-api")).Document.Description);
    }

    [TestMethod]
    public async Task AnyCall_StorageUnreachable_ThrowsUnavailableWithinSeconds()
    {
        var options = new CatalogStorageOptions
        {
            ConnectionString = System.Text.RegularExpressions.Regex.Replace(
                TestStorage.ConnectionString, @"TableEndpoint=http://127\.0\.0\.1:\d+", $"TableEndpoint=http://127.0.0.1:{(global::DevHost.AzuriteProcess.FreePort())}"),
            NetworkTimeout = TimeSpan.FromSeconds(1),
            MaxRetries = 1,
        };
        var store = new ComponentStore(new CatalogTables(StorageSetup.CreateServiceClient(options), options));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => store.PingAsync());

        Assert.IsLessThan(15, watch.Elapsed.TotalSeconds, "a dead account answers within seconds");
        Assert.AreEqual(System.Net.HttpStatusCode.ServiceUnavailable, ProblemMapper.Map(error).Status);
        Assert.DoesNotContain("127.0.0.1", ProblemMapper.Map(error).Detail);
    }

    [TestMethod]
    public async Task ReadCurrent_SingleRowRevision_IsOnePointRead_MultiRowReadsItsRows()
    {
        var clientOptions = new TableClientOptions();
        var counter = new CountingPolicy();
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var catalog = TestStorage.CreateCatalog(clientOptions: clientOptions).Catalog;
        await catalog.CreateAsync(Documents.Full(), Users.Payments);
        await catalog.CreateAsync(Documents.Minimal("Big") with { Description = MixedText(256_000, seed: 1) }, Users.Payments);
        await catalog.PutAsync("payments-api", Documents.Full() with { Description = "second revision" }, new("\"1\"", null), Users.Payments);

        var before = counter.Count;
        var small = await catalog.GetAsync("payments-api");
        var smallRequests = counter.Count - before;
        before = counter.Count;
        var big = await catalog.GetAsync("big");
        var bigRequests = counter.Count - before;

        Assert.AreEqual("second revision", small.Document.Description);
        Assert.AreEqual(1, smallRequests, "head carries the current content");
        Assert.AreEqual(256_000, big.Document.Description!.Length);
        Assert.AreEqual(3, bigRequests, "head, first row, chunk rows");
        Assert.AreEqual(Documents.Full().Description, (await catalog.GetRevisionAsync("payments-api", 1)).Document.Description, "history intact");
    }

    /// <summary>Lets the first transaction commit, then drops the connection so the SDK retries it.</summary>
    private sealed class FailAfterCommitPolicy : HttpPipelinePolicy
    {
        public volatile bool Armed;
        public int Injected;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("async only");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (Armed && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref Injected, 1) == 0)
            {
                throw new IOException("connection reset after commit (injected)");
            }
        }
    }

    internal static string MixedText(int chars, int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(chars + 16);
        while (builder.Length < chars)
        {
            var rune = random.Next(4) switch
            {
                0 => new Rune(random.Next(0x20, 0x7F)),
                1 => new Rune(random.Next(0x4E00, 0x9FFF)),
                2 => new Rune(random.Next(0x1F600, 0x1F64F)),
                _ => new Rune(random.Next(0xC0, 0x17F)),
            };
            builder.Append(rune.ToString());
        }
        var text = builder.ToString(0, chars);
        return char.IsHighSurrogate(text[^1]) ? text[..^1] + "x" : text;
    }

    private static string RandomAscii(int chars, int seed)
    {
        var random = new Random(seed);
        return string.Create(chars, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)r.Next(33, 127);
        });
    }
}
