using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using ComponentCatalog.Errors;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Storage;

/// <summary>
/// A storage that hangs answers 503 within the operation bound; a client that goes away is a cancellation, never a
/// storage outage. Against real Azurite, with a pipeline policy that stops answering on demand.
/// </summary>
[TestClass]
public sealed class StorageFailureBoundsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    [TestMethod]
    public async Task Get_StorageHangs_ThrowsUnavailableWithinOperationBound()
    {
        var (sut, hang) = CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        hang.Armed = true;
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => sut.Catalog.GetAsync("payments-api"));

        Assert.IsGreaterThanOrEqualTo(1, hang.Hung, "the read reached storage and hung there");
        Assert.IsLessThan(Bound.TotalSeconds + 4, watch.Elapsed.TotalSeconds, $"answered after {watch.Elapsed}; the bound is {Bound}");
        Assert.AreEqual(System.Net.HttpStatusCode.ServiceUnavailable, ProblemMapper.Map(error).Status);
        Assert.IsFalse(ExceptionMiddleware.ClientWentAway(error, CancellationToken.None));
    }

    [TestMethod]
    public async Task Get_ClientGoesAwayWhileStorageHangs_IsCancellationNotOutage()
    {
        var (sut, hang) = CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        hang.Armed = true;
        using var client = new CancellationTokenSource();
        hang.OnHang = client.Cancel;

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => sut.Catalog.GetAsync("payments-api", client.Token));

        Assert.AreEqual(1, hang.Hung);
        Assert.IsTrue(ExceptionMiddleware.ClientWentAway(error, client.Token), "answered 499 and logged as information, not 503");
    }

    [TestMethod]
    public async Task Put_ClientGoneBeforeStorageAnswers_IsCancellationAndNothingStored()
    {
        var (sut, _) = CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal("Other"), Users.Payments);
        using var client = new CancellationTokenSource();
        await client.CancelAsync();

        var error = await Assert.ThrowsAsync<OperationCanceledException>(
            () => sut.Catalog.PutAsync("payments-api", Documents.Minimal(), ComponentCatalog.Catalog.Preconditions.None, Users.Payments, client.Token));

        Assert.IsNotInstanceOfType<StorageUnavailableException>(error);
        Assert.IsNull(await sut.Store.GetHeadAsync("payments-api"));
    }

    [TestMethod]
    public async Task Get_StorageRecoversAfterHang_ServesAgain()
    {
        var (sut, hang) = CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        hang.Armed = true;
        await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => sut.Catalog.GetAsync("payments-api"));

        hang.Armed = false;

        Assert.AreEqual("payments-api", (await sut.Catalog.GetAsync("payments-api")).Document.Name);
    }

    [TestMethod]
    public async Task Get_StorageFrozen_CachedDocumentsKeepBeingServedOthersAnswer503WithinBound()
    {
        var (sut, hang) = CreateCatalog(cacheSeconds: 3600);
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await TestStorage.SecondInstance(sut).Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        await sut.Search.CurrentEntriesAsync();
        await sut.Catalog.GetAsync("payments-api");
        sut.Clock.Advance(TimeSpan.FromSeconds(3 * sut.Options.IndexRefreshSeconds));
        hang.Armed = true;
        var watch = Stopwatch.StartNew();

        var cached = await sut.Catalog.GetAsync("payments-api");
        var servedAfter = watch.Elapsed;
        var again = await sut.Catalog.GetAsync("payments-api");
        watch.Restart();
        await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => sut.Catalog.GetAsync("ledger"));
        var refusedAfter = watch.Elapsed;

        Assert.AreEqual("payments-api", cached.Document.Name);
        Assert.AreEqual("payments-api", again.Document.Name);
        Assert.IsGreaterThanOrEqualTo(1, hang.Hung, "the read's poll of the change log reached the frozen storage");
        Assert.IsLessThan(2 + 2, servedAfter.TotalSeconds, $"the cached copy came after {servedAfter}; a read waits for a due poll at most 2 s");
        Assert.IsLessThan(Bound.TotalSeconds + 4, refusedAfter.TotalSeconds, $"an uncached read answered after {refusedAfter}; the bound is {Bound}");
    }

    private static (CatalogUnderTest Sut, HangPolicy Hang) CreateCatalog(int cacheSeconds = 0)
    {
        var options = TestStorage.Options("unused");
        options.OperationTimeout = Bound;
        options.NetworkTimeout = TimeSpan.FromSeconds(30);
        var clientOptions = StorageSetup.ClientOptions(options);
        var hang = new HangPolicy();
        clientOptions.AddPolicy(hang, HttpPipelinePosition.PerRetry);
        return (TestStorage.CreateCatalog(cacheSeconds, clientOptions), hang);
    }

    /// <summary>When armed, a request is sent nowhere and never answered (until its caller cancels, or a minute passes).</summary>
    private sealed class HangPolicy : HttpPipelinePolicy
    {
        public volatile bool Armed;
        public int Hung;
        public Action? OnHang;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("async only");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (!Armed)
            {
                await ProcessNextAsync(message, pipeline);
                return;
            }
            Interlocked.Increment(ref Hung);
            OnHang?.Invoke();
            await Task.Delay(TimeSpan.FromMinutes(1), message.CancellationToken);
            throw new IOException("hung for a minute (injected)");
        }
    }
}
