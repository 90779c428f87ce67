using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stickless;
using Stickless.Redis;
using Stickless.Redis.StoreBench;

// Usage: dotnet run -c Release --project benchmarks/Stickless.Redis.StoreBench -- [--seconds 5] [--requests 100000] [--concurrency 1,16,64]
var seconds = 5.0;
var requests = 100_000;
int[] levels = [1, 16, 64];
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--requests": requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--concurrency": levels = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

using var server = RedisServerProcess.Start();
Console.WriteLine($"redis-server {server.Run("redis-cli", "INFO", "server").Split('\n').First(l => l.StartsWith("redis_version:", StringComparison.Ordinal)).Trim()[14..]} on 127.0.0.1:{server.Port}, {Environment.ProcessorCount} cores");

await using var store = new RedisSessionStore(new RedisSessionStoreOptions
{
    Configuration = $"127.0.0.1:{server.Port}",
    SweepInterval = TimeSpan.Zero, // nothing but the measured calls reaches the server
    OperationTimeout = TimeSpan.FromSeconds(10),
});

// One session, five 100-byte attributes, like a signed-in shopper; every call below hits it.
var id = SessionIds.Create();
var now = DateTimeOffset.UtcNow;
var seed = new Dictionary<string, AttributeChange>();
for (var a = 0; a < 5; a++)
{
    seed[$"attr{a}"] = AttributeChange.Set(Encoding.UTF8.GetBytes(new string((char)('a' + a), 100)));
}

var created = await store.CommitAsync(new SessionChangeSet { SessionId = id, IsNew = true, Now = now, IdleTimeout = TimeSpan.FromHours(1), AbsoluteExpiry = now.AddHours(8), Attributes = seed }, CancellationToken.None);
if (created.Status != CommitStatus.Committed)
{
    throw new InvalidOperationException($"seed commit: {created.Status}");
}

var loadOptions = new SessionLoadOptions(now, TimeSpan.FromHours(1)); // the throttle never fires: a read-only load
await store.LoadAsync(id, loadOptions, CancellationToken.None); // the load script is now in the server's cache too
var counterValue = "12345"u8.ToArray();
SessionChangeSet Write() => new()
{
    SessionId = id,
    Now = DateTimeOffset.UtcNow,
    Attributes = new Dictionary<string, AttributeChange> { ["counter"] = AttributeChange.Set(counterValue) },
};

// (c) Round trips and commands per request, from the server's INFO commandstats.
Console.WriteLine();
Console.WriteLine("(c) commands per request, from INFO commandstats (top-level = round trips; the rest run inside the script)");
async Task<string> CountAsync(Func<Task> request)
{
    var before = CommandStats.Read(server);
    await request();
    var delta = CommandStats.Delta(before, CommandStats.Read(server));
    delta.Remove("info");
    return string.Join(" ", delta.OrderBy(p => p.Key == "evalsha" ? 0 : 1).ThenBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
}

Console.WriteLine($"  read-only request (load, no touch): {await CountAsync(async () => await store.LoadAsync(id, loadOptions, CancellationToken.None))}");
Console.WriteLine($"  read-only request (touch due):      {await CountAsync(async () => await store.LoadAsync(id, new SessionLoadOptions(now, TimeSpan.Zero), CancellationToken.None))}");
Console.WriteLine($"  writing request (load):             {await CountAsync(async () => await store.LoadAsync(id, loadOptions, CancellationToken.None))}");
Console.WriteLine($"  writing request (commit 1 attr):    {await CountAsync(async () => await store.CommitAsync(Write(), CancellationToken.None))}");

var key = $"{store.KeyPrefix}{{{id}}}";
var expiry = $"{store.KeyPrefix}expiry";
var userPrefix = $"{store.KeyPrefix}user:";
var loadSha = server.Run("redis-cli", "SCRIPT", "LOAD", RedisSessionScripts.Read("load.lua")).Trim();
var commitSha = server.Run("redis-cli", "SCRIPT", "LOAD", RedisSessionScripts.Read("commit.lua")).Trim();
double Bench(params string[] command)
{
    var csv = server.Run("redis-benchmark", ["-n", requests.ToString(CultureInfo.InvariantCulture), "-c", "64", "--csv", .. command]);
    var row = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Split("\",\"");
    return double.Parse(row[1], CultureInfo.InvariantCulture);
}

// (b) Store load benchmark beside redis-benchmark on the same server, scripts and arguments:
// redis-benchmark runs before and after the store's runs; the better of its two figures counts.
var rbBefore = BenchAll();
Console.WriteLine();
Console.WriteLine($"(b) load+commit pairs per second, {seconds:0.#} s per level, one store (one StackExchange.Redis multiplexer, {typeof(StackExchange.Redis.ConnectionMultiplexer).Assembly.GetName().Version})");
var ours = new Dictionary<int, double>();
foreach (var concurrency in levels)
{
    await RunAsync(concurrency, TimeSpan.FromSeconds(0.5)); // warm-up
    ours[concurrency] = await RunAsync(concurrency, TimeSpan.FromSeconds(seconds));
    Console.WriteLine($"  c={concurrency,-3} {ours[concurrency],10:N0} pairs/s  ({2 * ours[concurrency],10:N0} script calls/s)");
}

async Task<double> RunAsync(int concurrency, TimeSpan duration)
{
    long pairs = 0;
    var stop = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        long local = 0;
        while (stop.Elapsed < duration)
        {
            if (await store.LoadAsync(id, loadOptions, CancellationToken.None) is null)
            {
                throw new InvalidOperationException("the session vanished");
            }

            var result = await store.CommitAsync(Write(), CancellationToken.None);
            if (result.Status != CommitStatus.Committed)
            {
                throw new InvalidOperationException($"commit: {result.Status}");
            }

            local++;
        }

        Interlocked.Add(ref pairs, local);
    })).ToArray();
    await Task.WhenAll(workers);
    return pairs / stop.Elapsed.TotalSeconds;
}

(double Load, double Commit, double Hgetall) BenchAll() => (
    Bench("EVALSHA", loadSha, "2", key, expiry, "3600000", id),
    Bench("EVALSHA", commitSha, "5", key, expiry, key, key, key, "", "0", "0", "", "0", id, "", userPrefix, "", "1", "counter", "s", "", "12345"),
    Bench("HGETALL", key));
var rbRuns = new[] { rbBefore, BenchAll() };
var rbLoad = rbRuns.Max(r => r.Load);
var rbCommit = rbRuns.Max(r => r.Commit);
var rbHgetall = rbRuns.Max(r => r.Hgetall);
var rbPair = 1 / ((1 / rbLoad) + (1 / rbCommit));
Console.WriteLine();
Console.WriteLine($"redis-benchmark -n {requests} -c 64, same server, same session, same arguments (best of a run before and a run after):");
Console.WriteLine($"  EVALSHA load.lua    {rbLoad,10:N0} calls/s");
Console.WriteLine($"  EVALSHA commit.lua  {rbCommit,10:N0} calls/s");
Console.WriteLine($"  HGETALL             {rbHgetall,10:N0} calls/s");
Console.WriteLine($"  load+commit pair    {rbPair,10:N0} pairs/s (1 / (1/load + 1/commit))");
Console.WriteLine();
Console.WriteLine("| concurrency | store pairs/s | redis-benchmark pairs/s (c=64) | ratio |");
Console.WriteLine("|---|---|---|---|");
foreach (var (concurrency, rate) in ours)
{
    Console.WriteLine($"| {concurrency} | {rate:N0} | {rbPair:N0} | {rate / rbPair:P0} |");
}

var ratio64 = ours.TryGetValue(64, out var r64) ? r64 / rbPair : double.NaN;
Console.WriteLine();
Console.WriteLine(double.IsNaN(ratio64) ? "no c=64 run" : $"c=64 ratio {ratio64:P0} (goal: at least 60%) {(ratio64 >= 0.6 ? "MET" : "NOT MET")}");
return 0;
