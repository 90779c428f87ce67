using System.Globalization;
using Stickless.Lab.Deployment.Redis;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// Redis Cluster: three masters, each with one replica, sharing the 16384 hash slots; a session's keys share one
/// slot (the id is their hash tag). When a master dies its replica takes over its slots.
/// </summary>
/// <remarks>
/// <c>cluster-require-full-coverage no</c>: while a dead master's slots wait for its replica, the other two thirds
/// of the sessions stay available (Redis's default would stop the whole cluster). No <c>min-replicas-to-write</c>
/// and no WAIT: with one replica per master, the promoted replica has none left and would refuse every write.
/// </remarks>
internal sealed class RedisClusterStrategy : ILabStrategy, IRedisFailoverTopology
{
    /// <summary>The default <c>cluster-node-timeout</c>: short, for the demo (Redis's own default is 15 s).</summary>
    public static readonly TimeSpan DefaultNodeTimeout = TimeSpan.FromSeconds(2);

    private const int Masters = 3;

    /// <summary>A cluster node also listens on its port + 10000 (the cluster bus).</summary>
    private const int ClusterBusOffset = 10_000;

    /// <summary>Creates the strategy.</summary>
    /// <param name="nodeTimeout">The nodes' <c>cluster-node-timeout</c>; default <see cref="DefaultNodeTimeout"/>.</param>
    public RedisClusterStrategy(TimeSpan? nodeTimeout = null) => DownAfter = nodeTimeout ?? DefaultNodeTimeout;

    /// <inheritdoc/>
    public string Name => "redis-cluster";

    /// <inheritdoc/>
    public TimeSpan DownAfter { get; }

    /// <inheritdoc/>
    public int? WaitReplicas => null;

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Sessions are spread over a Redis Cluster of {Masters} masters with one replica each (a session's keys share one hash slot); a master silent for {DownAfter.TotalSeconds:0.#} s is replaced by its replica. Replication is asynchronous.");

    /// <inheritdoc/>
    public string WhatToWatch =>
        "Every node reaches every shard (MOVED redirects are followed). Kill a master (chaos --fault kill-master): only the sessions in its slots pause until its replica takes over; the others carry on.";

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [LabTool.RedisServer];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        var nodes = new List<LabService>();
        for (var i = 1; i <= Masters * 2; i++)
        {
            nodes.Add(await StartNodeAsync(context, $"redis{i}", cancellationToken).ConfigureAwait(false));
        }

        await RedisClusterBootstrap.CreateAsync(nodes[..Masters], nodes[Masters..], nodes[0], cancellationToken).ConfigureAwait(false);
        context.Log.Info($"cluster ok: masters {string.Join(", ", nodes[..Masters].Select(n => n.Name))}, replicas {string.Join(", ", nodes[Masters..].Select(n => n.Name))}");
        return nodes;
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node) =>
    [
        new("Stickless:Store", "Redis"),
        new("Stickless:Redis:Configuration", string.Join(',', context.Services.Select(s => s.Endpoint))),
    ];

    /// <inheritdoc/>
    public async Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var node in context.Services.Where(s => s.IsAlive))
        {
            if (await RedisInfo.IsMasterAsync(node.Port, cancellationToken).ConfigureAwait(false))
            {
                total += await RedisSessionCount.FromKeysAsync(node.Port, cancellationToken).ConfigureAwait(false);
            }
        }

        return total;
    }

    /// <inheritdoc/>
    public async Task<RedisMaster> FindMasterAsync(IReadOnlyList<LabService> services, CancellationToken cancellationToken)
    {
        // The master holding the most keys: killing it costs the most.
        RedisMaster? busiest = null;
        long most = -1;
        foreach (var node in services.Where(s => s.IsAlive))
        {
            var lines = await TryNodesAsync(node.Port, cancellationToken).ConfigureAwait(false);
            if (lines.FirstOrDefault(l => l.Flags.Contains("myself")) is not { IsHealthyMaster: true, Slots.Count: > 0 } self)
            {
                continue;
            }

            var keys = await RedisLabClient.ExecuteAsync(node.Port, ["DBSIZE"], cancellationToken).ConfigureAwait(false) as long? ?? 0;
            if (keys > most)
            {
                most = keys;
                busiest = new RedisMaster(node, int.Parse(self.Slots[0].Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        return busiest ?? throw new LabException("no cluster node answers as a master with slots.");
    }

    /// <inheritdoc/>
    public async Task<LabService?> FindSuccessorAsync(IReadOnlyList<LabService> services, RedisMaster master, CancellationToken cancellationToken)
    {
        // Over when a live node says another master owns a slot the old one had (the promoted replica knows first).
        foreach (var node in services.Where(s => s.IsAlive && s != master.Service))
        {
            try
            {
                var owner = await RedisClusterBootstrap.OwnerOfSlotAsync(node.Port, master.Slot, cancellationToken).ConfigureAwait(false);
                if (owner is { } port && port != master.Service.Port)
                {
                    return services.FirstOrDefault(s => s.Port == port);
                }
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Paused or dead: ask the next.
            }
        }

        return null;
    }

    private static async Task<IReadOnlyList<ClusterNodeLine>> TryNodesAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            return await RedisClusterBootstrap.NodesAsync(port, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return [];
        }
    }

    private async Task<LabService> StartNodeAsync(StrategyContext context, string name, CancellationToken cancellationToken)
    {
        var port = context.Ports.NextWithPartner(ClusterBusOffset);
        var directory = Path.Combine(context.RunDirectory, name);
        Directory.CreateDirectory(directory);
        var configuration = Path.Combine(directory, "redis.conf");
        string[] extra =
        [
            "cluster-enabled yes",
            "cluster-config-file nodes.conf",
            "# Short for the demo (Redis's default is 15 s): a master silent this long is failed over to its replica.",
            string.Create(CultureInfo.InvariantCulture, $"cluster-node-timeout {(long)DownAfter.TotalMilliseconds}"),
            "# The other shards keep serving while one master's slots wait for its replica.",
            "cluster-require-full-coverage no",
        ];
        await File.WriteAllTextAsync(configuration, RedisConfigFiles.Server(port, directory, extra), cancellationToken).ConfigureAwait(false);

        return await context.StartServiceAsync(name, port, LabTool.RedisServer.Executable, [configuration],
            (process, ct) => Readiness.WaitAsync(process, "answering PING", async c =>
                await RedisLabClient.ExecuteAsync(port, ["PING"], c).ConfigureAwait(false) is "PONG", ct),
            cancellationToken).ConfigureAwait(false);
    }
}
