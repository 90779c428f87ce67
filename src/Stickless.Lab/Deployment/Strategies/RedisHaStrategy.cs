using System.Globalization;
using Stickless.Lab.Deployment.Redis;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// The shared external store with high availability: a Redis master, two replicas and three sentinels; the nodes
/// find the master through the sentinels and follow a failover. Registered twice: <c>redis-ha</c> (asynchronous
/// replication) and <c>redis-ha-wait</c> (each commit waits for one replica's acknowledgement).
/// </summary>
/// <remarks>
/// Every server runs with <c>min-replicas-to-write 1</c>, so a master cut off from all its replicas stops taking
/// writes instead of accepting ones a failover would discard. That is why there are two replicas, not one: after the
/// master dies, Sentinel promotes one replica and re-points the other to it, so the new master still has the replica
/// it needs to accept writes. With a single replica the promoted master would have none and refuse every write.
/// (Configuration is not replicated: each server keeps the setting from its own file, which is what we want here.)
/// </remarks>
internal sealed class RedisHaStrategy : ILabStrategy, IRedisFailoverTopology
{
    /// <summary>The master's name in the sentinels (the <c>serviceName</c> of the connection string).</summary>
    public const string MasterName = "mymaster";

    /// <summary>The default <c>down-after-milliseconds</c>: short, for the demo (Redis's own default is 30 s).</summary>
    public static readonly TimeSpan DefaultDownAfter = TimeSpan.FromSeconds(2);

    private const int Replicas = 2;
    private const int Sentinels = 3;
    private const int Quorum = 2;

    /// <summary>Creates the strategy.</summary>
    /// <param name="name">Its name on the command line.</param>
    /// <param name="waitReplicas">Replicas each commit waits for (<c>Stickless:Redis:WaitForReplicas</c>); null for none.</param>
    /// <param name="downAfter">The sentinels' <c>down-after-milliseconds</c>; default <see cref="DefaultDownAfter"/>.</param>
    /// <param name="minReplicasToWrite">Every server's <c>min-replicas-to-write</c>; default 1; null for none (a master cut off from its replicas keeps taking writes).</param>
    public RedisHaStrategy(string name = "redis-ha", int? waitReplicas = null, TimeSpan? downAfter = null, int? minReplicasToWrite = 1)
    {
        Name = name;
        WaitReplicas = waitReplicas;
        DownAfter = downAfter ?? DefaultDownAfter;
        MinReplicasToWrite = minReplicasToWrite;
    }

    /// <summary>The servers' <c>min-replicas-to-write</c> (with <c>min-replicas-max-lag</c> <see cref="MinReplicasMaxLag"/>); null when not set.</summary>
    public int? MinReplicasToWrite { get; }

    /// <summary>The servers' <c>min-replicas-max-lag</c>: a replica whose last acknowledgement is older does not count.</summary>
    public static TimeSpan MinReplicasMaxLag { get; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    public bool SupportsServerLinks => true;

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int? WaitReplicas { get; }

    /// <inheritdoc/>
    public TimeSpan DownAfter { get; }

    /// <summary>How long the sentinels give one failover attempt (about three times down-after).</summary>
    public TimeSpan FailoverTimeout => DownAfter * 3;

    /// <inheritdoc/>
    public string Description
    {
        get
        {
            var durability = WaitReplicas is { } n
                ? string.Create(CultureInfo.InvariantCulture, $"Each commit waits (WAIT) until {n} replica(s) hold it, so an acknowledged change survives the master's death.")
                : "Replication is asynchronous: a change acknowledged just before the master dies can be lost.";
            var guard = MinReplicasToWrite is { } min
                ? string.Create(CultureInfo.InvariantCulture, $" Every server has min-replicas-to-write {min} (hence two replicas: after a failover the new master still has one).")
                : " No min-replicas-to-write: a master cut off from its replicas keeps acknowledging writes a failover will discard.";
            return string.Create(CultureInfo.InvariantCulture,
                $"Every session lives in a Redis master with two replicas; three sentinels (quorum {Quorum}) promote a replica when the master is silent for {DownAfter.TotalSeconds:0.#} s, and the nodes follow them. {durability}{guard}");
        }
    }

    /// <inheritdoc/>
    public string WhatToWatch => string.Create(CultureInfo.InvariantCulture,
        $"Kill the master (chaos --fault kill-master): requests fail for about {DownAfter.TotalSeconds:0.#} s plus the failover, then every node carries on against the promoted replica; the probe stays signed in. Pause it for less than down-after (pause-master): requests wait, nobody fails over, and everything resumes.");

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [LabTool.RedisServer, LabTool.RedisSentinel];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        // Each server listens on its own port and, when the run partitions server links, is known by a routed front's
        // port instead (announced to its master and the sentinels, handed out by them), behind which every process that
        // connects gets a fault proxy of its own: node1→redis1, sentinel2→redis1, redis3→redis1, …
        var routed = context.ProxyServerLinks;
        var servers = Enumerable.Range(1, Replicas + 1).Select(i => $"redis{i}").ToList();
        var sentinelNames = Enumerable.Range(1, Sentinels).Select(i => $"sentinel{i}").ToList();
        var ports = servers.Select(_ => context.Ports.Next()).ToList();
        var known = routed ? servers.Select(_ => context.Ports.Next()).ToList() : ports;
        if (routed)
        {
            for (var i = 0; i < servers.Count; i++)
            {
                var front = context.Links.PlaceFront(servers[i], ports[i], known[i],
                    [.. context.Nodes.Select(static n => n.Name), .. sentinelNames, .. servers], context.ProcessNames);
                context.Log.Info($"{servers[i]}: known as 127.0.0.1:{front.Port}, a routed front over a fault proxy per source (listening on {ports[i]})");
            }
        }

        var services = new List<LabService>();
        var masterPort = known[0];
        for (var i = 0; i < servers.Count; i++)
        {
            services.Add(await StartServerAsync(context, servers[i], ports[i], i == 0 ? null : masterPort, routed ? known[i] : null, cancellationToken).ConfigureAwait(false));
        }

        var sentinels = new List<LabService>();
        foreach (var name in sentinelNames)
        {
            sentinels.Add(await StartSentinelAsync(context, name, masterPort, cancellationToken).ConfigureAwait(false));
        }

        if (routed)
        {
            // The nodes reach the sentinels through proxies too, so that a node on the master's side can lose them.
            foreach (var node in context.Nodes)
            {
                foreach (var sentinel in sentinels)
                {
                    context.Links.Place(node.Name, sentinel.Name, sentinel.Port);
                }
            }
        }

        // Sentinels learn about each other through the master's hello channel (every 2 s), and about the replicas
        // from its INFO: only when each knows both, and the quorum can authorize a failover, is the deployment ready.
        await Readiness.WaitAsync(sentinels[0].Process, "the sentinels agreeing on the master, its replicas and each other", async ct =>
        {
            foreach (var sentinel in sentinels)
            {
                if (!sentinel.IsAlive
                    || await MasterPortOfAsync(sentinel.Port, ct).ConfigureAwait(false) != masterPort
                    || await RedisLabClient.ExecuteAsync(sentinel.Port, ["SENTINEL", "REPLICAS", MasterName], ct).ConfigureAwait(false) is not object?[] { Length: Replicas }
                    || await RedisLabClient.ExecuteAsync(sentinel.Port, ["SENTINEL", "SENTINELS", MasterName], ct).ConfigureAwait(false) is not object?[] { Length: Sentinels - 1 })
                {
                    return false;
                }

                await RedisLabClient.ExecuteAsync(sentinel.Port, ["SENTINEL", "CKQUORUM", MasterName], ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        context.Log.Info($"sentinels agree: master redis1 on 127.0.0.1:{masterPort}, {Replicas} replicas, quorum {Quorum}");
        return [.. services, .. sentinels];
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node)
    {
        var sentinels = context.Services.Where(s => s.Name.StartsWith("sentinel", StringComparison.Ordinal)).Select(s => context.EndpointFor(node, s.Name));
        List<KeyValuePair<string, string>> configuration =
        [
            new("Stickless:Store", "Redis"),
            new("Stickless:Redis:Configuration", string.Join(',', sentinels) + ",serviceName=" + MasterName),
        ];
        if (WaitReplicas is { } replicas)
        {
            configuration.Add(new("Stickless:Redis:WaitForReplicas", replicas.ToString(CultureInfo.InvariantCulture)));
        }

        return configuration;
    }

    /// <inheritdoc/>
    public async Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        RedisMaster master;
        try
        {
            master = await FindMasterAsync(context.Services, cancellationToken).ConfigureAwait(false);
        }
        catch (LabException)
        {
            // Every sentinel down: nothing to count from.
            return null;
        }

        return await RedisSessionCount.FromExpiryIndexAsync(master.Service.Port, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<RedisMaster> FindMasterAsync(IReadOnlyList<LabService> services, CancellationToken cancellationToken)
    {
        foreach (var sentinel in SentinelsOf(services))
        {
            var port = await TryMasterPortOfAsync(sentinel.Port, cancellationToken).ConfigureAwait(false);
            if (port is { } known && services.FirstOrDefault(s => s.Answers(known)) is { } master)
            {
                return new RedisMaster(master);
            }
        }

        throw new LabException("no sentinel names a master.");
    }

    /// <inheritdoc/>
    public async Task<LabService?> FindSuccessorAsync(IReadOnlyList<LabService> services, RedisMaster master, CancellationToken cancellationToken)
    {
        // A failover is over for the sentinels when one of them announces the new master (+switch-master).
        foreach (var sentinel in SentinelsOf(services))
        {
            var port = await TryMasterPortOfAsync(sentinel.Port, cancellationToken).ConfigureAwait(false);
            if (port is { } answered && !master.Service.Answers(answered))
            {
                return services.FirstOrDefault(s => s.Answers(answered));
            }
        }

        return null;
    }

    private static IEnumerable<LabService> SentinelsOf(IReadOnlyList<LabService> services) =>
        services.Where(s => s.Name.StartsWith("sentinel", StringComparison.Ordinal) && s.IsAlive);

    private static async Task<int?> TryMasterPortOfAsync(int sentinelPort, CancellationToken cancellationToken)
    {
        try
        {
            return await MasterPortOfAsync(sentinelPort, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static async Task<int?> MasterPortOfAsync(int sentinelPort, CancellationToken cancellationToken) =>
        await RedisLabClient.ExecuteAsync(sentinelPort, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", MasterName], cancellationToken).ConfigureAwait(false)
            is object?[] { Length: 2 } address && int.TryParse(address[1] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : null;

    private async Task<LabService> StartServerAsync(StrategyContext context, string name, int port, int? replicaOf, int? announcedPort, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(context.RunDirectory, name);
        Directory.CreateDirectory(directory);
        var configuration = Path.Combine(directory, "redis.conf");
        List<string> extra = [];
        if (MinReplicasToWrite is { } min)
        {
            extra.Add("# A master cut off from every replica refuses writes (a failover would discard them); see RedisHaStrategy.");
            extra.Add(string.Create(CultureInfo.InvariantCulture, $"min-replicas-to-write {min}"));
            extra.Add(string.Create(CultureInfo.InvariantCulture, $"min-replicas-max-lag {MinReplicasMaxLag.TotalSeconds:0}"));
        }

        if (announcedPort is { } announced)
        {
            extra.Add("# Known by the lab's routed front, not by its own port: its master and the sentinels hand this one out.");
            extra.Add("replica-announce-ip 127.0.0.1");
            extra.Add(string.Create(CultureInfo.InvariantCulture, $"replica-announce-port {announced}"));
        }

        if (replicaOf is { } masterPort)
        {
            extra.Add(string.Create(CultureInfo.InvariantCulture, $"replicaof 127.0.0.1 {masterPort}"));
        }

        await File.WriteAllTextAsync(configuration, RedisConfigFiles.Server(port, directory, extra), cancellationToken).ConfigureAwait(false);
        return await context.StartServiceAsync(name, port, LabTool.RedisServer.Executable, [configuration],
            (process, ct) => Readiness.WaitAsync(process, replicaOf is null ? "answering PING" : "in sync with the master", async c =>
                replicaOf is null
                    ? await RedisLabClient.ExecuteAsync(port, ["PING"], c).ConfigureAwait(false) is "PONG"
                    : (await RedisInfo.ReadAsync(port, "replication", c).ConfigureAwait(false)).GetValueOrDefault("master_link_status") == "up", ct),
            cancellationToken, announcedPort).ConfigureAwait(false);
    }

    private async Task<LabService> StartSentinelAsync(StrategyContext context, string name, int masterPort, CancellationToken cancellationToken)
    {
        var port = context.Ports.Next();
        var directory = Path.Combine(context.RunDirectory, name);
        Directory.CreateDirectory(directory);
        var configuration = Path.Combine(directory, "sentinel.conf");
        await File.WriteAllTextAsync(configuration,
            RedisConfigFiles.Sentinel(port, directory, MasterName, masterPort, Quorum, DownAfter, FailoverTimeout), cancellationToken).ConfigureAwait(false);
        return await context.StartServiceAsync(name, port, LabTool.RedisSentinel.Executable, [configuration],
            (process, ct) => Readiness.WaitAsync(process, "naming the master", async c =>
                await MasterPortOfAsync(port, c).ConfigureAwait(false) == masterPort, ct),
            cancellationToken).ConfigureAwait(false);
    }
}
