namespace Stickless.Replication;

/// <summary>
/// Settings of the replicated store, bound from <c>Stickless:Replication</c> with the standard configuration binder
/// (TimeSpans as <c>00:00:00.500</c>). Every error is listed at start-up (<see cref="Validate"/>).
/// </summary>
public sealed class ReplicatedSessionStoreOptions : IValidatedOptions
{
    /// <summary>The configuration section, under the Stickless section: <c>Replication</c>.</summary>
    public const string SectionName = "Replication";

    /// <summary>Every node of the cluster, this one included. Required: at least one.</summary>
    public IList<ReplicationPeerOptions> Peers { get; } = [];

    /// <summary>Which of <see cref="Peers"/> this process is. Required.</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>Where copies live. Default <see cref="ReplicationMode.PrimaryBackup"/>.</summary>
    public ReplicationMode Mode { get; set; } = ReplicationMode.PrimaryBackup;

    /// <summary>When a commit answers relative to its copies. Default <see cref="ReplicationAcknowledgement.Sync"/>.</summary>
    public ReplicationAcknowledgement Ack { get; set; } = ReplicationAcknowledgement.Sync;

    /// <summary>
    /// The shared secret every peer message is authenticated with (HMAC-SHA256), at least 16 characters; the same on
    /// every node. Required. Messages with a wrong or missing tag are refused.
    /// </summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>How often each node pings every other node. Default 500 ms (Tomcat's heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Silence after which a peer is suspect and other peers are asked to probe it. Default 1.5 s.</summary>
    public TimeSpan SuspectAfter { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Silence after which a peer that no probe reached is dead and leaves the view. Default 3 s (Tomcat's dropTime).</summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest one peer call may take (a forwarded load or commit, one copy, one ping). Default 1 s.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a joining node may take to receive its state before it reports the failure and tries again. Default 30 s.</summary>
    public TimeSpan TransferTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest peer message, in bytes; larger ones are refused before they are read. Default 4 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How far a message's timestamp may be from the receiver's clock before it is refused as a replay. Default 60 s.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When set, the name of a cookie that carries the owner's node id of the request's session (owner-affine routing,
    /// like Tomcat's jvmRoute): a load balancer that routes by it sends most requests straight to the owner.
    /// Default null (no cookie).
    /// </summary>
    public string? RouteCookieName { get; set; }

    /// <summary>
    /// When true, a node serves only while a majority of <see cref="Peers"/> (itself included) is Ready in its view: the
    /// minority side of a partition answers 503 (and its health check fails) instead of serving alone, so the sides never
    /// write the same session apart. Needs 3 or more peers to survive any failure. Default false (both sides serve; a
    /// heal reconciles, delete wins, conflicts are counted).
    /// </summary>
    public bool RequireQuorum { get; set; }

    /// <summary>How often the owner turns expired sessions into tombstones and drops tombstones past their retention. Default 30 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in ReplicatedSessionStoreOptionsValidator.Errors(this))
        {
            errors.Add(error);
        }
    }
}
