using System.Net;
using System.Text;
using Stickless.Memcached.Tests.Infrastructure;

namespace Stickless.Memcached.Tests.Store;

/// <summary>Raw session ids never reach memcached (not in keys, not in values, not in its dumps), and user names never name a key.</summary>
public sealed class MemcachedPrivacyIntegrationTests(MemcachedCluster cluster) : IClassFixture<MemcachedCluster>
{
    [Fact]
    public async Task EveryItemWritten_NoKeyOrValueContainsAnIdAndNoKeyThePrincipal()
    {
        await using var store = new MemcachedSessionStore(MemcachedConformanceStore.Options(cluster, backup: true, TimeSpan.FromSeconds(2)));
        var id = SessionIds.Create();
        var renamed = SessionIds.Create();
        const string Principal = "privacy-alice";
        var now = DateTimeOffset.UtcNow;
        await store.CommitAsync(new SessionChangeSet { SessionId = id, IsNew = true, Now = now, IdleTimeout = TimeSpan.FromMinutes(5), AbsoluteExpiry = now.AddHours(1), SetsPrincipal = true, Principal = Principal }, CancellationToken.None);
        await store.CommitAsync(new SessionChangeSet { SessionId = id, Now = now, NewSessionId = renamed, RotationGrace = TimeSpan.FromMinutes(1) }, CancellationToken.None);
        Assert.Equal([renamed], (await store.FindByPrincipalAsync(Principal, CancellationToken.None)).Select(s => s.Id));

        var keys = new StringBuilder();
        var everything = new StringBuilder();
        foreach (var server in cluster.Servers)
        {
            var dump = await server.CommandAsync("lru_crawler metadump all", "END\r\n");
            keys.Append(dump);
            everything.Append(dump);
            foreach (var line in dump.Split('\n').Where(l => l.StartsWith("key=", StringComparison.Ordinal)))
            {
                var key = WebUtility.UrlDecode(line.Split(' ')[0][4..]);
                everything.Append(Encoding.Latin1.GetString(Encoding.Latin1.GetBytes(await server.CommandAsync("mg " + key + " v", "\r\n"))));
            }
        }

        var text = everything.ToString();
        Assert.Contains("key=sl%3As%3A", text, StringComparison.Ordinal);
        Assert.DoesNotContain(id, text, StringComparison.Ordinal);
        Assert.DoesNotContain(renamed, text, StringComparison.Ordinal);

        // The principal is session data (like the attributes, which values hold in clear): it names no key.
        Assert.DoesNotContain(Principal, keys.ToString(), StringComparison.Ordinal);
    }
}
