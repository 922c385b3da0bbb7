using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;

namespace ComponentCatalog.Security;

/// <summary>Settings under <c>RateLimit__*</c> (docs/adr/0003-rate-limiting.md).</summary>
internal sealed class RateLimitOptions
{
    public const string SettingsSection = "RateLimit";

    /// <summary>Requests a principal (or an anonymous client address) may make per minute, per instance.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>Clients tracked at once; past it, new clients share one overflow bucket until idle ones are dropped.</summary>
    [Range(16, 10_000_000)]
    public int MaxClients { get; set; } = 100_000;

    /// <summary>
    /// How many proxies in front of the app append to <c>X-Forwarded-For</c> (App Service's front end: 1). The client
    /// address is the entry that many places from the right. 0: nothing is trusted, the leftmost entry (or
    /// <c>X-Real-IP</c>) is taken as the client says it.
    /// </summary>
    [Range(0, 10)]
    public int TrustedProxyHops { get; set; }
}

/// <summary>
/// One token bucket per client key, in memory, driven by a <see cref="TimeProvider"/>: each bucket holds up to
/// <see cref="RateLimitOptions.PermitsPerMinute"/> tokens and refills continuously at that rate, so a burst of a
/// minute's worth is allowed and then one request per 60/N seconds. Buckets are independent — one client's flood
/// never touches another's. Memory is capped at <see cref="RateLimitOptions.MaxClients"/> buckets: a bucket that has
/// refilled completely is equal to a new one and is dropped when room is needed; if none is idle, new clients share
/// an overflow bucket. (The library's own limiters replenish on the Stopwatch and keep partitions unbounded; this
/// one is a <see cref="PartitionedRateLimiter{TResource}"/> so callers see the standard API.)
/// </summary>
internal sealed class ClientRateLimiter : PartitionedRateLimiter<string>
{
    private const string OverflowKey = "~overflow";
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Bucket _overflow;
    private readonly TimeProvider _clock;
    private readonly int _limit;
    private readonly int _maxClients;
    private readonly double _tokensPerTick;
    private long _lastSweep;

    public ClientRateLimiter(RateLimitOptions options, TimeProvider clock)
    {
        _clock = clock;
        _limit = options.PermitsPerMinute;
        _maxClients = options.MaxClients;
        _tokensPerTick = (double)_limit / TimeSpan.FromMinutes(1).Ticks;
        _overflow = new Bucket(_limit, clock.GetTimestamp());
        _lastSweep = clock.GetTimestamp();
    }

    /// <summary>Buckets held now (for tests and metrics).</summary>
    public int TrackedClients => _buckets.Count;

    public override RateLimiterStatistics? GetStatistics(string resource)
    {
        var bucket = _buckets.TryGetValue(resource, out var found) ? found : null;
        if (bucket is null)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = _limit };
        }

        lock (bucket)
        {
            Refill(bucket, _clock.GetTimestamp());
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)bucket.Tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount)
    {
        if (permitCount > _limit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "More permits than the limit.");
        }

        var now = _clock.GetTimestamp();
        var bucket = BucketFor(resource, now);
        lock (bucket)
        {
            Refill(bucket, now);
            if (bucket.Tokens >= permitCount)
            {
                bucket.Tokens -= permitCount;
                return Lease.Acquired;
            }

            var missing = permitCount - bucket.Tokens;
            return Lease.Refused(TimeSpan.FromTicks((long)Math.Ceiling(missing / _tokensPerTick)));
        }
    }

    /// <summary>No queueing: a request over the limit is answered 429 at once.</summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    private Bucket BucketFor(string key, long now)
    {
        if (_buckets.TryGetValue(key, out var bucket))
        {
            return bucket;
        }

        if (_buckets.Count >= _maxClients && !SweepIdle(now))
        {
            return _overflow;
        }

        return _buckets.GetOrAdd(key, _ => new Bucket(_limit, now));
    }

    /// <summary>Drops buckets that are full again (indistinguishable from new ones). At most once a second.</summary>
    private bool SweepIdle(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_clock.GetElapsedTime(last, now) >= SweepInterval && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
        {
            foreach (var (key, bucket) in _buckets)
            {
                bool idle;
                lock (bucket)
                {
                    Refill(bucket, now);
                    idle = bucket.Tokens >= _limit;
                }
                if (idle)
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }
        return _buckets.Count < _maxClients;
    }

    private void Refill(Bucket bucket, long now)
    {
        var elapsed = _clock.GetElapsedTime(bucket.Updated, now);
        if (elapsed > TimeSpan.Zero)
        {
            bucket.Tokens = Math.Min(_limit, bucket.Tokens + (elapsed.Ticks * _tokensPerTick));
            bucket.Updated = now;
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;
        public long Updated { get; set; } = updated;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static Lease Acquired { get; } = new(true, null);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == MetadataName.RetryAfter.Name && retryAfter is { } value)
            {
                metadata = value;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
