using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Stickless.Lab.Bench;
using Stickless.Lab.Deployment.Replication;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// Session clustering without an external store: the nodes replicate sessions to each other over Stickless's peer
/// protocol, <c>all-to-all</c> (every node holds every session) or <c>primary-backup</c> (an owner and a backup);
/// the <c>-owner</c> variants add owner-affine routing (the owner's node id in a cookie HAProxy routes by).
/// </summary>
internal sealed class ReplicationStrategy : ILabStrategy, IRouteCookieStrategy, IStoreFigureSource
{
    /// <summary>The routing cookie of the owner-routed variants.</summary>
    public const string OwnerCookie = "STICKLESS_OWNER";

    private static readonly ConditionalWeakTable<StrategyContext, string> Secrets = new();
    private static readonly ConditionalWeakTable<LabDeployment, string> DeploymentSecrets = new();
    private readonly bool _ownerRouting;

    private readonly bool _peerLinks;

    private readonly bool _quorum;

    private ReplicationStrategy(string name, string mode, bool ownerRouting, string ack = "Sync", bool peerLinks = false, bool quorum = false)
    {
        _quorum = quorum;
        Name = name;
        Mode = mode;
        Ack = ack;
        _ownerRouting = ownerRouting;
        _peerLinks = peerLinks;
    }

    public static ReplicationStrategy AllToAll { get; } = new("all-to-all", "AllToAll", ownerRouting: false);

    public static ReplicationStrategy PrimaryBackup { get; } = new("primary-backup", "PrimaryBackup", ownerRouting: false);

    public static ReplicationStrategy AllToAllOwnerRouted { get; } = new("all-to-all-owner", "AllToAll", ownerRouting: true);

    public static ReplicationStrategy PrimaryBackupOwnerRouted { get; } = new("primary-backup-owner", "PrimaryBackup", ownerRouting: true);

    public static ReplicationStrategy PrimaryBackupAsync { get; } = new("primary-backup-async", "PrimaryBackup", ownerRouting: false, ack: "Async");

    /// <summary>primary-backup with every peer call through a fault proxy (one per direction, in <see cref="StrategyContext.Links"/>), so <c>partition-peers</c> can cut it.</summary>
    public static ReplicationStrategy PrimaryBackupProxied { get; } = new("primary-backup-proxied", "PrimaryBackup", ownerRouting: false, peerLinks: true);

    /// <summary>primary-backup-proxied where only a majority serves (<c>RequireQuorum</c>).</summary>
    public static ReplicationStrategy PrimaryBackupQuorum { get; } = new("primary-backup-quorum", "PrimaryBackup", ownerRouting: false, peerLinks: true, quorum: true);

    /// <summary>all-to-all with every peer call through a fault proxy.</summary>
    public static ReplicationStrategy AllToAllProxied { get; } = new("all-to-all-proxied", "AllToAll", ownerRouting: false, peerLinks: true);

    /// <summary>The store's mode (<c>AllToAll</c> or <c>PrimaryBackup</c>).</summary>
    public string Mode { get; }

    /// <summary>Sync or Async copies.</summary>
    public string Ack { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description => (Mode == "AllToAll"
        ? "Every node holds every session; the owner of a session (rendezvous hashing) orders its writes and copies each one to every other node before answering."
        : "Each session lives on its owner and one backup (rendezvous hashing); another node that serves a request asks the owner in one round trip.")
        + (_ownerRouting ? " HAProxy routes by a cookie naming the session's owner." : " HAProxy sends requests round robin.")
        + (Ack == "Async" ? " Copies are asynchronous." : string.Empty)
        + (_peerLinks ? " Peer calls go through the lab's fault proxies, which the partition-peers fault cuts." : string.Empty)
        + (_quorum ? " Only a majority of the nodes serves." : string.Empty);

    /// <inheritdoc/>
    public string WhatToWatch => "The probe stays signed in on every node. Kill a node: its sessions live on in their backups (or everywhere), after a blip of failures while the others notice.";

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public string RouteCookie => _ownerRouting ? OwnerCookie : string.Empty;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [];

    /// <summary>True when every peer call goes through a fault proxy of the deployment (the <c>-proxied</c> and <c>-quorum</c> variants).</summary>
    public bool ProxiesPeerLinks => _peerLinks;

    /// <inheritdoc/>
    public Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        if (_peerLinks)
        {
            // One proxy per direction (node A's calls to node B go through link A→B), so a fault can cut any set of them.
            foreach (var from in context.Nodes)
            {
                foreach (var to in context.Nodes.Where(n => n.Name != from.Name))
                {
                    context.Links.Place(from.Name, to.Name, to.Port);
                }
            }

            context.Log.Info($"peer links: {context.Nodes.Count * (context.Nodes.Count - 1)} fault proxies (one per direction) for partition-peers");
        }

        return Task.FromResult<IReadOnlyList<LabService>>([]);
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node)
    {
        var secret = Secrets.GetValue(context, static _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("Stickless:Store", "Replication"),
            new("Stickless:Replication:Mode", Mode),
            new("Stickless:Replication:Ack", Ack),
            new("Stickless:Replication:NodeId", node.Name),
            new("Stickless:Replication:Secret", secret),
        };
        if (_ownerRouting)
        {
            pairs.Add(new("Stickless:Replication:RouteCookieName", OwnerCookie));
        }

        if (_quorum)
        {
            pairs.Add(new("Stickless:Replication:RequireQuorum", "true"));
        }

        foreach (var peer in context.Nodes)
        {
            var i = (peer.Index - 1).ToString(CultureInfo.InvariantCulture);
            pairs.Add(new($"Stickless:Replication:Peers:{i}:NodeId", peer.Name));
            var url = peer.Name != node.Name && _peerLinks && context.Links.Find(node.Name, peer.Name) is { } link
                ? "http://" + link.Proxy.Endpoint
                : peer.Url.ToString().TrimEnd('/');
            pairs.Add(new($"Stickless:Replication:Peers:{i}:Url", url));
        }

        return pairs;
    }

    /// <inheritdoc/>
    public Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <inheritdoc/>
    public async Task<object?> SnapshotAsync(LabDeployment deployment, CancellationToken cancellationToken) =>
        await ReplicationNodeStats.ReadAllAsync(deployment, SecretOf(deployment), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<RunResult> AddFiguresAsync(RunResult result, LabDeployment deployment, object? before, CancellationToken cancellationToken)
    {
        var after = await ReplicationNodeStats.ReadAllAsync(deployment, SecretOf(deployment), cancellationToken).ConfigureAwait(false);
        var baseline = (before as IReadOnlyList<ReplicationNodeStats> ?? []).ToDictionary(s => s.Node, StringComparer.Ordinal);
        long writes = 0, messages = 0, bytes = 0, forwardedLoads = 0, forwardedCommits = 0, loads = 0, conflicts = 0, deletesWon = 0, rebalance = 0;
        double forwardedSeconds = 0;
        foreach (var node in after)
        {
            var b = baseline.GetValueOrDefault(node.Node) ?? new ReplicationNodeStats(node.Node, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            writes += node.Writes - b.Writes;
            messages += node.ReplicateMessages - b.ReplicateMessages;
            bytes += node.ReplicateBytes - b.ReplicateBytes;
            forwardedLoads += node.ForwardedLoads - b.ForwardedLoads;
            forwardedSeconds += node.ForwardedLoadSeconds - b.ForwardedLoadSeconds;
            forwardedCommits += node.ForwardedCommits - b.ForwardedCommits;
            loads += node.LocalLoads - b.LocalLoads + node.ForwardedLoads - b.ForwardedLoads;
            conflicts += node.Conflicts - b.Conflicts;
            deletesWon += node.DeletesWon - b.DeletesWon;
            rebalance += node.RebalanceBytes - b.RebalanceBytes;
        }

        return result with
        {
            ReplicationMode = Mode,
            ReplicationAck = Ack,
            OwnerRouting = _ownerRouting,
            ReplicationWrites = writes,
            ReplicationBytesPerWrite = writes > 0 ? Math.Round((double)bytes / writes, 1) : null,
            ReplicationMessagesPerWrite = writes > 0 ? Math.Round((double)messages / writes, 3) : null,
            BytesHeldPerNode = after.ToDictionary(s => s.Node, s => s.BytesHeld),
            SessionsHeldPerNode = after.ToDictionary(s => s.Node, s => s.SessionsHeld),
            ForwardedLoadsPerRequest = result.Requests > 0 ? Math.Round((double)forwardedLoads / result.Requests, 3) : null,
            ForwardedLoadMs = forwardedLoads > 0 ? Math.Round(forwardedSeconds * 1000 / forwardedLoads, 3) : null,
            ForwardedCommitsPerWrite = writes > 0 ? Math.Round((double)forwardedCommits / writes, 3) : null,
            ReplicationConflicts = conflicts,
            ReplicationDeletesWon = deletesWon,
            RebalanceBytes = rebalance,
        };
    }

    private static string SecretOf(LabDeployment deployment) =>
        DeploymentSecrets.GetValue(deployment, static d =>
        {
            // The secret is on each node's command line (nodeN.args): read it back rather than keep a global.
            var args = File.ReadAllText(Path.Combine(d.RunDirectory, d.Nodes[0].Name + ".args"));
            const string Key = "--Stickless:Replication:Secret=";
            var start = args.IndexOf(Key, StringComparison.Ordinal) + Key.Length;
            var end = args.IndexOfAny([' ', '\n', '\''], start);
            return args[start..(end < 0 ? args.Length : end)];
        });
}
