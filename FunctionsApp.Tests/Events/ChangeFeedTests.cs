using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Events;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComponentCatalog.Tests.Events;

/// <summary>
/// The outbox and the pull feed (docs/adr/0060-change-events.md) against real Azurite: one event per committed
/// change, committed with it; none for a write that did not commit; commit order; a cursor that resumes exactly.
/// </summary>
[TestClass]
public sealed class ChangeFeedTests
{
    private CatalogUnderTest _sut = null!;
    private EventsHarness _events = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        _sut.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        _events = new EventsHarness(_sut);
    }

    [TestMethod]
    public async Task LifeOfADocument_GivesOneEventPerChange_WithTypeAndData()
    {
        var created = await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Admin);
        var updated = await _sut.Catalog.PutAsync("payments-api", Documents.Full(), new Preconditions(created.ETag, null), Users.Admin);
        var moved = await _sut.Catalog.PutAsync("payments-api", Documents.Full(owner: "identity"), new Preconditions(updated.Stored.ETag, null), Users.Admin);
        await _sut.Catalog.DeleteAsync("payments-api", new Preconditions(moved.Stored.ETag, null), Users.Admin);
        await _sut.Catalog.RestoreAsync("payments-api", Users.Admin);
        _events.PastHorizon();

        var (items, _) = await _events.ReadAllAsync();

        CollectionAssert.AreEqual(
            new[] { ChangeTypes.Created, ChangeTypes.Updated, ChangeTypes.OwnerChanged, ChangeTypes.Deleted, ChangeTypes.Restored },
            items.Select(i => i.Event.Type).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 3, 3 }, items.Select(i => i.Event.Data.Revision).ToArray());
        var update = items[1].Event.Data;
        var sections = string.Join(", ", update.Sections.Select(s => $"{s.Section}:{s.Change}"));
        Assert.IsTrue(update.Sections.Any(s => s.Section.Contains("Dependencies", StringComparison.Ordinal)), "the update lists the sections it changed: " + sections);
        Assert.IsFalse(update.Sections.Any(s => s.Section.Contains("Description", StringComparison.Ordinal)), "and not the ones it kept: " + sections);
        Assert.AreEqual("admin@test", update.Author);
        Assert.IsNotNull(update.Score);
        CollectionAssert.AreEquivalent(new[] { "billing", "core" }, update.Tags.ToArray());
        Assert.AreEqual("identity", items[2].Event.Data.Owner);
        Assert.AreEqual("payments", items[2].Event.Data.PreviousOwner);
        Assert.IsNull(items[1].Event.Data.PreviousOwner, "no previous owner when it did not move");
        Assert.AreEqual(items.Count, items.Select(i => i.Event.Id).Distinct().Count(), "ids are unique");

        var cloudEvent = items[0].Event.ToCloudEvent(_events.Options.Source);
        Assert.AreEqual("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.AreEqual("https://catalog.example.com", cloudEvent["source"]!.GetValue<string>());
        Assert.AreEqual("payments-api", cloudEvent["subject"]!.GetValue<string>());
        Assert.AreEqual("payments-api", cloudEvent["data"]!["name"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task StaleIfMatch_CommitsNothing_AndLogsNoEvent()
    {
        var created = await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.PutAsync("payments-api", Documents.Full(), new Preconditions(created.ETag, null), Users.Payments);

        await Assert.ThrowsExactlyAsync<PreconditionFailedException>(() =>
            _sut.Catalog.PutAsync("payments-api", Documents.Minimal("Other"), new Preconditions(created.ETag, null), Users.Payments));
        _events.PastHorizon();
        var (items, _) = await _events.ReadAllAsync();

        Assert.HasCount(2, items, string.Join(", ", items.Select(i => i.Event.Type)));
    }

    [TestMethod]
    public async Task SixteenConcurrentWriters_GiveExactlyOneEventPerRevision_InRevisionOrderPerComponent()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);

        // 16 writers, 'If-Match: *' (retries on a lost race), over two documents: many lose races after announcing.
        var writers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var name = i % 2 == 0 ? "payments-api" : "ledger";
            for (var round = 0; round < 3; round++)
            {
                try
                {
                    await _sut.Catalog.PutAsync(name, Documents.Minimal($"Writer {i} round {round}"), new Preconditions("*", null), Users.Payments);
                }
                catch (PreconditionFailedException)
                {
                    // Lost three races in a row: that write did not commit, and must have no event.
                }
            }
        }));
        await Task.WhenAll(writers);
        _sut.Clock.Advance(TimeSpan.FromSeconds(40)); // past the settle window: every lost race is decided
        var (items, _) = await _events.ReadAllAsync();

        foreach (var name in new[] { "payments-api", "ledger" })
        {
            var revisions = items.Where(i => i.Event.Subject == name).Select(i => i.Event.Data.Revision).ToList();
            var head = (await _sut.Store.GetHeadAsync(name))!;
            CollectionAssert.AreEqual(Enumerable.Range(1, head.Revision).ToList(), revisions,
                $"{name}: one event per revision, in order; saw {string.Join(",", revisions)}");
        }
    }

    [TestMethod]
    public async Task Cursor_ResumesWithoutGapsOrRepeats_WhileWritesContinue()
    {
        var seen = new List<FeedItem>();
        string? cursor = null;
        var etags = new Dictionary<string, string>();
        for (var round = 0; round < 6; round++)
        {
            for (var n = 0; n < 4; n++)
            {
                var name = $"svc-{n}";
                var (stored, _) = await _sut.Catalog.PutAsync(name, Documents.Minimal($"Service {n} round {round}"),
                    new Preconditions(etags.GetValueOrDefault(name), etags.ContainsKey(name) ? null : "*"), Users.Payments);
                etags[name] = stored.ETag;
            }
            _events.PastHorizon();
            var page = await _events.Feed.ReadAsync(cursor, 3);
            seen.AddRange(page.Items);
            cursor = page.Cursor;
        }
        var (rest, _) = await _events.ReadAllAsync(cursor, 5);
        seen.AddRange(rest);

        Assert.HasCount(24, seen, "every committed revision once");
        Assert.HasCount(24, seen.Select(s => s.Event.Id).Distinct().ToList(), "no repeats");
        CollectionAssert.AreEqual(seen.Select(s => s.Position).Order(StringComparer.Ordinal).ToList(), seen.Select(s => s.Position).ToList(), "commit order");
    }

    [TestMethod]
    public async Task UndecidedWrite_HoldsThePage_UntilItSettles_ThenIsPassedOver()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        // A writer that announced and then died before committing.
        await _sut.Projection.AnnounceAsync([new ChangeIntent("ledger", 1, Guid.NewGuid().ToString("N"))]);
        await _sut.Catalog.CreateAsync(Documents.Minimal("Billing"), Users.Payments);
        _events.PastHorizon();

        var first = await _events.Feed.ReadAsync(null, 100);
        CollectionAssert.AreEqual(new[] { "payments-api" }, first.Items.Select(i => i.Event.Subject).ToArray(),
            "the page stops at the undecided write: the later one waits, it is not skipped");

        _sut.Clock.Advance(TimeSpan.FromSeconds(31));
        var second = await _events.Feed.ReadAsync(first.Cursor, 100);
        CollectionAssert.AreEqual(new[] { "billing" }, second.Items.Select(i => i.Event.Subject).ToArray(),
            "once settled, the dead write is passed over and the next one comes");
    }

    [TestMethod]
    public async Task Purge_LogsItsEvent_AfterTheDocumentsOtherEventsAreGone()
    {
        var created = await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.DeleteAsync("payments-api", new Preconditions(created.ETag, null), Users.Payments);
        _events.PastHorizon();
        var (before, cursor) = await _events.ReadAllAsync();
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.DeletedRetentionDays + 1));

        var jobs = new MaintenanceJobs(new JobStore(_sut.Tables), _sut.Store, _sut.Catalog, _sut.Search, _sut.Clock, _sut.Options,
            new MaintenanceOptions(), NullLogger<MaintenanceJobs>.Instance);
        await jobs.RunPurgeAsync();
        await jobs.RunPurgeAsync();
        _events.PastHorizon();
        var (after, _) = await _events.ReadAllAsync(cursor);

        CollectionAssert.AreEqual(new[] { ChangeTypes.Created, ChangeTypes.Deleted }, before.Select(i => i.Event.Type).ToArray());
        Assert.HasCount(1, after, "one purge event");
        Assert.AreEqual(ChangeTypes.Purged, after[0].Event.Type);
        Assert.AreEqual("payments-api", after[0].Event.Subject);
        Assert.IsNull(await _sut.Store.GetHeadAsync("payments-api"));
    }

    [TestMethod]
    [DataRow("nonsense")]
    [DataRow("12345")]
    [DataRow("0638000000000000000.Bad Name.x")]
    public async Task Feed_RefusesACursorItDidNotHandOut(string cursor) =>
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _events.Feed.ReadAsync(cursor, 10));
}
