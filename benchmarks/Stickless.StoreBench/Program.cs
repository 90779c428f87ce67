using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stickless;
using Stickless.StoreBench;

// Loads and commits on memcached and on Redis, side by side in one run, through each store's public registration API.
// Usage: dotnet run -c Release --project benchmarks/Stickless.StoreBench -- [--seconds 5] [--sessions 1000]
//        [--concurrency 1,16,64] [--out results.json] [--no-eviction]
var seconds = double.Parse(Arg("--seconds", "5"), CultureInfo.InvariantCulture);
var sessionCount = int.Parse(Arg("--sessions", "1000"), CultureInfo.InvariantCulture);
var concurrencies = Arg("--concurrency", "1,16,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var outPath = Arg("--out", "");
var rows = new List<BenchRow>();

await using (var memcached = await ServerProcess.StartMemcachedAsync(256))
await using (var redis = await ServerProcess.StartRedisAsync())
await using (var ring1 = await ServerProcess.StartMemcachedAsync(256))
await using (var ring2 = await ServerProcess.StartMemcachedAsync(256))
await using (var ring3 = await ServerProcess.StartMemcachedAsync(256))
{
    var stores = new List<(string Name, ServiceProvider Services, ISessionStore Store, Func<Task<long>> Count)>
    {
        ("memcached", Build(b => b.UseMemcached(o => { o.Servers = [memcached.Endpoint]; o.HashKey = BenchKey(); })), default!, () => CountMemcachedAsync(memcached)),
        ("redis", Build(b => b.UseRedis(redis.Endpoint)), default!, () => CountRedisAsync(redis)),
        ("memcached-backup", Build(b => b.UseMemcached(o => { o.Servers = [ring1.Endpoint, ring2.Endpoint, ring3.Endpoint]; o.Backup = true; o.HashKey = BenchKey(); })), default!,
            async () => await CountMemcachedAsync(ring1) + await CountMemcachedAsync(ring2) + await CountMemcachedAsync(ring3)),
    };
    for (var i = 0; i < stores.Count; i++)
    {
        stores[i] = stores[i] with { Store = stores[i].Services.GetRequiredService<ISessionStore>() };
    }

    var ids = new Dictionary<string, string[]>();
    foreach (var (name, _, store, _) in stores)
    {
        ids[name] = await CreateSessionsAsync(store, sessionCount);
    }

    foreach (var concurrency in concurrencies)
    {
        foreach (var operation in new[] { "load", "commit" })
        {
            // Side by side: the two stores run the same case one after the other, on the same machine state.
            foreach (var (name, _, store, count) in stores)
            {
                var before = await count();
                var (ops, latencies, elapsed) = await RunAsync(store, ids[name], operation, concurrency, TimeSpan.FromSeconds(seconds));
                var requests = await count() - before;
                var row = new BenchRow(name, operation, concurrency, ops / elapsed.TotalSeconds,
                    latencies.PercentileMs(50), latencies.PercentileMs(99), latencies.PercentileMs(99.9), ops == 0 ? 0 : (double)requests / ops);
                rows.Add(row);
                Console.WriteLine(FormattableString.Invariant($"{name,-10} {operation,-6} c={concurrency,-3} {row.OpsPerSecond,9:N0} ops/s  p50 {row.P50Ms,7:F3} ms  p99 {row.P99Ms,7:F3} ms  p99.9 {row.P999Ms,7:F3} ms  server requests/op {row.ServerRequestsPerOp:F2}"));
            }
        }
    }

    foreach (var (_, services, _, _) in stores)
    {
        await services.DisposeAsync();
    }
}

Console.WriteLine();
Console.WriteLine("| store | operation | concurrency | ops/s | p50 ms | p99 ms | p99.9 ms | server requests per op |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
foreach (var row in rows)
{
    Console.WriteLine(FormattableString.Invariant($"| {row.Store} | {row.Operation} | {row.Concurrency} | {row.OpsPerSecond:N0} | {row.P50Ms:F3} | {row.P99Ms:F3} | {row.P999Ms:F3} | {row.ServerRequestsPerOp:F2} |"));
}

EvictionResult? eviction = null;
if (!Flag("--no-eviction"))
{
    eviction = await EvictionRun.RunAsync(Build);
    Console.WriteLine();
    Console.WriteLine(eviction.Describe());
}

if (outPath.Length > 0)
{
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(new { rows, eviction }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    Console.WriteLine($"results: {outPath}");
}

return 0;

static ServiceProvider Build(Action<ISticklessBuilder> use)
{
    var services = new ServiceCollection();
    services.AddLogging();
    use(services.AddStickless());
    return services.BuildServiceProvider();
}

static string BenchKey() => "store-bench-hash-key-0123456789abcdef";

static async Task<string[]> CreateSessionsAsync(ISessionStore store, int count)
{
    var ids = new string[count];
    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    {
        var id = SessionIds.Create();
        var now = DateTimeOffset.UtcNow;
        var attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal);
        for (var a = 0; a < 10; a++)
        {
            attributes["attribute" + a.ToString(CultureInfo.InvariantCulture)] = AttributeChange.Set(Encoding.UTF8.GetBytes(new string('x', 50 + (a * 5))));
        }

        var result = await store.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = TimeSpan.FromMinutes(20),
            AbsoluteExpiry = now + TimeSpan.FromHours(8),
            Attributes = attributes,
        }, ct);
        if (result.Status != CommitStatus.Committed)
        {
            throw new InvalidOperationException($"Creating a session answered {result.Status}.");
        }

        ids[i] = id;
    });
    return ids;
}

static async Task<(long Ops, LatencyRecorder Latencies, TimeSpan Elapsed)> RunAsync(ISessionStore store, string[] ids, string operation, int concurrency, TimeSpan duration)
{
    var latencies = new LatencyRecorder(concurrency);
    var clock = Stopwatch.StartNew();
    var deadline = duration;
    var hits = Encoding.UTF8.GetBytes("12345");
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        while (clock.Elapsed < deadline)
        {
            var id = ids[random.Next(ids.Length)];
            var started = Stopwatch.GetTimestamp();
            if (operation == "load")
            {
                var record = await store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), CancellationToken.None);
                if (record is null)
                {
                    throw new InvalidOperationException("A session vanished during the bench.");
                }
            }
            else
            {
                var result = await store.CommitAsync(new SessionChangeSet
                {
                    SessionId = id,
                    Now = DateTimeOffset.UtcNow,
                    Attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal) { ["hits"] = AttributeChange.Set(hits) },
                }, CancellationToken.None);
                if (result.Status != CommitStatus.Committed)
                {
                    throw new InvalidOperationException($"A commit answered {result.Status}.");
                }
            }

            latencies.Record(worker, Stopwatch.GetElapsedTime(started));
        }
    }))).ConfigureAwait(false);
    return (latencies.Count, latencies, clock.Elapsed);
}

static async Task<long> CountMemcachedAsync(ServerProcess server)
{
    var stats = await server.NumbersAsync("stats", "END\r\n", ' ');
    return stats.GetValueOrDefault("cmd_get") + stats.GetValueOrDefault("cmd_set") + stats.GetValueOrDefault("cmd_touch")
        + stats.GetValueOrDefault("delete_hits") + stats.GetValueOrDefault("delete_misses");
}

static async Task<long> CountRedisAsync(ServerProcess server)
{
    // Redis counts the INFO that asks, too: one per reading.
    var info = await server.NumbersAsync("INFO stats", "\r\n\r\n", ':');
    return info.GetValueOrDefault("total_commands_processed") - 1;
}

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

bool Flag(string name) => args.Contains(name);
