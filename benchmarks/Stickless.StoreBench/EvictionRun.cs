using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Stickless.StoreBench;

/// <summary>
/// memcached with little memory: sessions are created until they no longer fit, while the first ones are read all along
/// (active users). memcached's LRU evicts the idle ones, oldest first; what a user whose session was evicted sees is
/// what the store answers for it.
/// </summary>
internal static class EvictionRun
{
    private const int MemoryMegabytes = 8;
    private const int Sessions = 6000;
    private const int Active = 100;
    private const int SessionBytes = 4000;

    public static async Task<EvictionResult> RunAsync(Func<Action<ISticklessBuilder>, ServiceProvider> build)
    {
        await using var server = await ServerProcess.StartMemcachedAsync(MemoryMegabytes);
        await using var services = build(b => b.UseMemcached(o =>
        {
            o.Servers = [server.Endpoint];
            o.HashKey = "store-bench-hash-key-0123456789abcdef";
        }));
        var store = services.GetRequiredService<ISessionStore>();
        var payload = Encoding.UTF8.GetBytes(new string('p', SessionBytes));
        var ids = new List<string>(Sessions);
        for (var i = 0; i < Sessions; i++)
        {
            var id = SessionIds.Create();
            var now = DateTimeOffset.UtcNow;
            await store.CommitAsync(new SessionChangeSet
            {
                SessionId = id,
                IsNew = true,
                Now = now,
                IdleTimeout = TimeSpan.FromMinutes(20),
                AbsoluteExpiry = now + TimeSpan.FromHours(8),
                Attributes = new Dictionary<string, AttributeChange> { ["cart"] = AttributeChange.Set(payload) },
            }, CancellationToken.None);
            ids.Add(id);

            // The first sessions belong to active users: one of them is read after every new session.
            if (i >= Active)
            {
                await store.LoadAsync(ids[i % Active], new SessionLoadOptions(now, TimeSpan.MaxValue), CancellationToken.None);
            }
        }

        var alive = new bool[Sessions];
        for (var i = 0; i < Sessions; i++)
        {
            alive[i] = await store.LoadAsync(ids[i], new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), CancellationToken.None) is not null;
        }

        var deciles = Enumerable.Range(0, 10).Select(d => alive.Skip(d * Sessions / 10).Take(Sessions / 10).Count(a => a)).ToList();
        var evicted = Array.FindIndex(alive, Active, a => !a);
        var commit = evicted < 0
            ? "nothing (none was evicted)"
            : (await store.CommitAsync(new SessionChangeSet
            {
                SessionId = ids[evicted],
                Now = DateTimeOffset.UtcNow,
                Attributes = new Dictionary<string, AttributeChange> { ["cart"] = AttributeChange.Set(payload) },
            }, CancellationToken.None)).Status.ToString();
        var stats = await server.NumbersAsync("stats", "END\r\n", ' ');
        return new EvictionResult(MemoryMegabytes, Sessions, SessionBytes, deciles, alive.Take(Active).Count(a => a), Active, stats.GetValueOrDefault("evictions"), commit);
    }
}
