using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Stickless.Replication.Membership;
using Stickless.Replication.Transport;
using Stickless.Testing;

namespace Stickless.Replication.Tests.Infrastructure;

/// <summary>
/// N replicated stores in this test process, each behind its own Kestrel server on a kernel-chosen loopback port (HTTP/2
/// cleartext, as between real nodes), started and waited for until every one is Ready with the others in its view.
/// </summary>
public sealed class ReplicationCluster : IAsyncDisposable
{
    private readonly List<WebApplication?> _servers = [];
    private readonly List<int> _ports = [];
    private readonly Dictionary<(int From, int To), TcpRelay> _relays = [];

    private ReplicationCluster(ReplicationMode mode, ReplicationAcknowledgement ack, TimeProvider sessionClock)
    {
        Mode = mode;
        Ack = ack;
        SessionClock = sessionClock;
    }

    public ReplicationMode Mode { get; }

    public ReplicationAcknowledgement Ack { get; }

    public TimeProvider SessionClock { get; }

    public List<ReplicatedSessionStore?> Nodes { get; } = [];

    public const string Secret = "test-secret-0123456789";

    public static async Task<ReplicationCluster> StartAsync(int nodes, ReplicationMode mode, TimeProvider? sessionClock = null, ReplicationAcknowledgement ack = ReplicationAcknowledgement.Sync, bool throughRelays = false)
    {
        var cluster = new ReplicationCluster(mode, ack, sessionClock ?? TimeProvider.System);
        for (var i = 0; i < nodes; i++)
        {
            cluster._ports.Add(LoopbackPorts.Next());
        }

        if (throughRelays)
        {
            for (var from = 0; from < nodes; from++)
            {
                for (var to = 0; to < nodes; to++)
                {
                    if (from != to)
                    {
                        cluster._relays[(from, to)] = new TcpRelay(cluster._ports[to]);
                    }
                }
            }
        }

        try
        {
            for (var i = 0; i < nodes; i++)
            {
                cluster.Nodes.Add(null);
                cluster._servers.Add(null);
                await cluster.StartNodeAsync(i);
            }

            await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => n!.Status == PeerStatus.Ready && n.View.Ready.Count == nodes), "every node Ready");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ReplicatedSessionStoreOptions OptionsFor(int index)
    {
        var options = new ReplicatedSessionStoreOptions
        {
            NodeId = $"n{index + 1}",
            Mode = Mode,
            Ack = Ack,
            Secret = Secret,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            SuspectAfter = TimeSpan.FromSeconds(2),
            DeadAfter = TimeSpan.FromSeconds(4),
            PeerTimeout = TimeSpan.FromSeconds(3),
        };
        for (var i = 0; i < _ports.Count; i++)
        {
            var port = _relays.TryGetValue((index, i), out var relay) ? relay.Port : _ports[i];
            options.Peers.Add(new ReplicationPeerOptions { NodeId = $"n{i + 1}", Url = $"http://127.0.0.1:{port}" });
        }

        return options;
    }

    /// <summary>Starts node <paramref name="index"/> (again, empty, as a new incarnation, if it ran before).</summary>
    public async Task StartNodeAsync(int index)
    {
        var store = new ReplicatedSessionStore(OptionsFor(index), SessionClock, TimeProvider.System, LoggerFactory.Create(b => { if (Environment.GetEnvironmentVariable("REPLICATION_TEST_LOGS") == "1") { b.AddSimpleConsole(o => o.SingleLine = true); } }), null, null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _ports[index], o => o.Protocols = HttpProtocols.Http1AndHttp2));
        var app = builder.Build();
        app.Map(PeerClient.Path, peer => peer.Run(store.Server.HandleAsync));
        await app.StartAsync();
        await store.StartAsync(CancellationToken.None);
        Nodes[index] = store;
        _servers[index] = app;
    }

    /// <summary>Kills node <paramref name="index"/> at once: its server stops listening (connections refused), its loops stop.</summary>
    public async Task KillNodeAsync(int index)
    {
        if (_servers[index] is { } app)
        {
            await app.StopAsync(new CancellationToken(canceled: true));
            await app.DisposeAsync();
            _servers[index] = null;
        }

        if (Nodes[index] is { } store)
        {
            await store.DisposeAsync();
            Nodes[index] = null;
        }
    }

    /// <summary>Cuts every relay between the two sides, both ways (needs <c>throughRelays</c>).</summary>
    public void Partition(IReadOnlyCollection<int> sideA, IReadOnlyCollection<int> sideB)
    {
        foreach (var ((from, to), relay) in _relays)
        {
            if ((sideA.Contains(from) && sideB.Contains(to)) || (sideB.Contains(from) && sideA.Contains(to)))
            {
                relay.Cut();
            }
        }
    }

    /// <summary>Heals every relay.</summary>
    public void Heal()
    {
        foreach (var relay in _relays.Values)
        {
            relay.Heal();
        }
    }

    /// <summary>The 0-based index of the node that owns <paramref name="sessionId"/> in node <paramref name="viewer"/>'s view.</summary>
    public int OwnerIndex(string sessionId, int viewer = 0) => int.Parse(Nodes[viewer]!.OwnerOf(sessionId)![1..], System.Globalization.CultureInfo.InvariantCulture) - 1;

    /// <summary>Requests the app nodes sent to the store's owners (forwarded loads, commits, deletes, installs, lists), counted where received.</summary>
    public long ForwardedRequests() => Nodes.OfType<ReplicatedSessionStore>()
        .SelectMany(n => n.GetStatistics().Traffic)
        .Where(t => !t.Sent && t.Type is "load" or "commit" or "delete" or "install" or "find")
        .Sum(t => t.Messages);

    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Nodes.Count; i++)
        {
            await KillNodeAsync(i);
        }

        foreach (var relay in _relays.Values)
        {
            await relay.DisposeAsync();
        }
    }

}
