using System.Threading.RateLimiting;
using ComponentCatalog.Security;
using Microsoft.Extensions.Time.Testing;

namespace ComponentCatalog.Tests.Security;

/// <summary>Token buckets per client on a fake clock: limit, Retry-After, recovery, isolation, bounded memory.</summary>
[TestClass]
public sealed class ClientRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private ClientRateLimiter Limiter(int permitsPerMinute = 6, int maxClients = 16) =>
        new(new RateLimitOptions { PermitsPerMinute = permitsPerMinute, MaxClients = maxClients }, _clock);

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : throw new AssertFailedException("no Retry-After");

    [TestMethod]
    public void Acquire_UpToTheLimit_AllowsThenRefusesWithRetryAfter()
    {
        var limiter = Limiter(permitsPerMinute: 6);

        var granted = Enumerable.Range(0, 6).Count(_ => limiter.AttemptAcquire("a").IsAcquired);
        using var refused = limiter.AttemptAcquire("a");

        Assert.AreEqual(6, granted);
        Assert.IsFalse(refused.IsAcquired);
        Assert.AreEqual(TimeSpan.FromSeconds(10), RetryAfter(refused));
    }

    [TestMethod]
    public void Acquire_AfterRetryAfter_RecoversOnePermitPerInterval()
    {
        var limiter = Limiter(permitsPerMinute: 6);
        for (var i = 0; i < 6; i++)
        {
            limiter.AttemptAcquire("a");
        }

        _clock.Advance(TimeSpan.FromSeconds(9));
        var early = limiter.AttemptAcquire("a").IsAcquired;
        _clock.Advance(TimeSpan.FromSeconds(1));
        var onTime = limiter.AttemptAcquire("a").IsAcquired;
        var again = limiter.AttemptAcquire("a").IsAcquired;

        Assert.IsFalse(early);
        Assert.IsTrue(onTime);
        Assert.IsFalse(again);
    }

    [TestMethod]
    public void Acquire_AfterAFullMinute_RefillsToTheLimitNotBeyond()
    {
        var limiter = Limiter(permitsPerMinute: 6);
        limiter.AttemptAcquire("a");

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.AreEqual(6, Enumerable.Range(0, 10).Count(_ => limiter.AttemptAcquire("a").IsAcquired));
    }

    [TestMethod]
    public void Acquire_OneClientTenTimesOverQuota_OtherClientUnaffected()
    {
        var limiter = Limiter(permitsPerMinute: 6);

        var abusive = Enumerable.Range(0, 60).Count(_ => limiter.AttemptAcquire("abuser").IsAcquired);
        var polite = Enumerable.Range(0, 6).Count(_ => limiter.AttemptAcquire("polite").IsAcquired);

        Assert.AreEqual(6, abusive);
        Assert.AreEqual(6, polite);
    }

    [TestMethod]
    public void Acquire_ManyDistinctClients_TrackedBucketsStayWithinTheCap()
    {
        var limiter = Limiter(permitsPerMinute: 6, maxClients: 16);

        for (var i = 0; i < 1000; i++)
        {
            limiter.AttemptAcquire($"client-{i}");
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.IsLessThanOrEqualTo(16, limiter.TrackedClients);
    }

    [TestMethod]
    public void Acquire_CapFullOfBusyClients_NewClientsShareTheOverflowBucket()
    {
        var limiter = Limiter(permitsPerMinute: 6, maxClients: 16);
        for (var i = 0; i < 16; i++)
        {
            limiter.AttemptAcquire($"busy-{i}");
        }

        var newcomers = Enumerable.Range(0, 20).Count(i => limiter.AttemptAcquire($"new-{i}").IsAcquired);
        var busyStillServed = limiter.AttemptAcquire("busy-0").IsAcquired;

        Assert.AreEqual(16, limiter.TrackedClients);
        Assert.AreEqual(6, newcomers);
        Assert.IsTrue(busyStillServed);
    }

    [TestMethod]
    public void Acquire_IdleBucketsDropped_WhenRoomIsNeeded()
    {
        var limiter = Limiter(permitsPerMinute: 6, maxClients: 16);
        for (var i = 0; i < 16; i++)
        {
            limiter.AttemptAcquire($"old-{i}");
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var fresh = limiter.AttemptAcquire("fresh").IsAcquired;

        Assert.IsTrue(fresh);
        Assert.AreEqual(1, limiter.TrackedClients);
    }

    [TestMethod]
    public void GetStatistics_ReportsAvailablePermits()
    {
        var limiter = Limiter(permitsPerMinute: 6);
        limiter.AttemptAcquire("a", 2);

        Assert.AreEqual(4, limiter.GetStatistics("a")!.CurrentAvailablePermits);
        Assert.AreEqual(6, limiter.GetStatistics("b")!.CurrentAvailablePermits);
    }
}
