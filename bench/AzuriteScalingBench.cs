using System.Diagnostics;
using Azure.Data.Tables;
using DevHost;

namespace Bench;

/// <summary>
/// Issue 19, item 6: where Azurite's per-operation cost grows with table size. <c>--azurite-scaling</c> fills two
/// tables in one Azurite, one entity per partition, the same way except for the row key: in one every entity has the
/// same row key (as every document's <c>head</c> row has), in the other the row key is unique (the partition's).
/// At each size it times point reads and single-entity transactions (replace one, add one) in each table.
/// </summary>
internal static class AzuriteScalingBench
{
    public static async Task RunAsync(Report report, Action<string> progress, int[] sizes)
    {
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        var service = new TableServiceClient(azurite.ConnectionString);
        var shared = service.GetTableClient("SharedRowKey");
        var unique = service.GetTableClient("UniqueRowKey");
        await shared.CreateIfNotExistsAsync();
        await unique.CreateIfNotExistsAsync();
        var filled = 0;
        var payload = new byte[2_000];
        Random.Shared.NextBytes(payload);
        foreach (var size in sizes)
        {
            progress($"Filling both tables to {size:N0} entities");
            await Parallel.ForEachAsync(Enumerable.Range(filled, size - filled), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                await shared.AddEntityAsync(new TableEntity($"p{i:D7}", "head") { ["D0"] = payload }, ct);
                await unique.AddEntityAsync(new TableEntity($"p{i:D7}", $"p{i:D7}") { ["D0"] = payload }, ct);
            });
            filled = size;
            foreach (var (label, table, rowKey) in new[] { ("same row key", shared, (Func<int, string>)(_ => "head")), ("unique row key", unique, i => $"p{i:D7}") })
            {
                var read = await Measure.SequentialAsync(300, async _ =>
                {
                    var i = Random.Shared.Next(size);
                    var entity = await table.GetEntityAsync<TableEntity>($"p{i:D7}", rowKey(i));
                    return entity.Value is not null;
                }, warmup: 20);
                var write = await Measure.SequentialAsync(300, async n =>
                {
                    var i = Random.Shared.Next(size);
                    var response = await table.SubmitTransactionAsync([
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity($"p{i:D7}", rowKey(i)) { ["D0"] = payload }),
                        new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{i:D7}", $"r{size}-{n}-{Guid.NewGuid():N}") { ["D0"] = payload }),
                    ]);
                    return response.Value.Count == 2;
                }, warmup: 20);
                report.Add("azurite", $"{size:N0} entities, {label}: point read p50", read.P50, "ms", extra: $"p95 {read.P95:0.00} ms");
                report.Add("azurite", $"{size:N0} entities, {label}: transaction (replace + add) p50", write.P50, "ms", extra: $"p95 {write.P95:0.00} ms");
            }
        }
    }
}
