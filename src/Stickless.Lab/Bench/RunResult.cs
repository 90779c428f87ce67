using System.Text.Json.Serialization;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>
/// One strategy (and fault) run as <c>results.json</c> holds it: the fields DESIGN.md names first,
/// then what the lab adds beside them.
/// </summary>
internal sealed record RunResult
{
    /// <summary>The strategy measured (<c>local</c>, <c>sticky</c>, <c>redis</c>, …).</summary>
    public required string Strategy { get; init; }

    /// <summary>The fault injected, or null for a plain bench.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Fault { get; init; }

    /// <summary>Requests completed during the run.</summary>
    public long Requests { get; init; }

    /// <summary>Requests per second.</summary>
    public double Rps { get; init; }

    /// <summary>Median latency in milliseconds.</summary>
    public double P50Ms { get; init; }

    /// <summary>99th percentile latency in milliseconds.</summary>
    public double P99Ms { get; init; }

    /// <summary>5xx answers, timeouts, broken connections and unexpected 4xx.</summary>
    public long Errors { get; init; }

    /// <summary>Times a signed-in user was answered as anonymous.</summary>
    public long SessionsLost { get; init; }

    /// <summary>Reads that disagreed with the shadow model on a live session.</summary>
    public long StaleReads { get; init; }

    /// <summary>Acknowledged writes whose effect was gone for good.</summary>
    public long LostUpdates { get; init; }

    /// <summary>Seconds in which more than half of the requests failed or none succeeded.</summary>
    public int UnavailableSeconds { get; init; }

    /// <summary>Festa nodes behind HAProxy.</summary>
    public int Nodes { get; init; }

    /// <summary>Concurrent virtual users.</summary>
    public int Users { get; init; }

    /// <summary>The measured time in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Users signed in when the measured part started.</summary>
    public int SignedInUsers { get; init; }

    /// <summary>Distinct users who lost their session at least once (a user may lose several).</summary>
    public int UsersLosingSessions { get; init; }

    /// <summary>Answers that named another user: must be 0 for every strategy.</summary>
    public long WrongUser { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Requests per node (the <c>X-Served-By</c> header).</summary>
    public IReadOnlyDictionary<string, long> ServedBy { get; init; } = new Dictionary<string, long>();

    /// <summary>For a fault run: when the fault was applied, in seconds since the run started.</summary>
    public double? FaultAtSeconds { get; init; }

    /// <summary>For a fault run: what the fault hit (a node's name, a service).</summary>
    public string? FaultTarget { get; init; }

    /// <summary>For a fault run: what the fault did, in a sentence.</summary>
    public string? FaultDetail { get; init; }

    /// <summary>For a fault run: signed-in users whose last answer came from the target when it was hit.</summary>
    public int? UsersOnFaultTarget { get; init; }

    /// <summary>For a fault run: signed-in users when the fault was applied.</summary>
    public int? SignedInUsersAtFault { get; init; }

    /// <summary>For a fault run: whether the target was still alive when the run ended.</summary>
    public bool? FaultTargetAliveAtEnd { get; init; }

    /// <summary>
    /// For a fault run: seconds from the fault until every user was served again, that is until each user's first
    /// successful request (of those that need the session store) that started after its last failed one; the latest
    /// of these. Null when some user never succeeded again.
    /// </summary>
    public double? ResumedAfterSeconds { get; init; }

    /// <summary>For a Redis failover fault: seconds from the fault until the sentinels (or the cluster) named a new master; null when none did.</summary>
    public double? FailoverSeconds { get; init; }

    /// <summary>For a Redis failover fault: the server that took over, or null.</summary>
    public string? FailoverTo { get; init; }

    /// <summary>For <c>kill-lagging-master</c>: seconds the replicas were stopped (SIGSTOP) before the master was killed.</summary>
    public double? LagSeconds { get; init; }

    /// <summary>For <c>kill-lagging-master</c>: bytes of the old master's replication stream the promoted replica never received.</summary>
    public long? ReplicationBytesLost { get; init; }

    /// <summary>For Redis strategies with failover: replicas each commit waited for (WAIT); null when commits do not wait.</summary>
    public int? WaitReplicas { get; init; }

    /// <summary>For Redis strategies with failover: the failure detection time (Sentinel's down-after, Cluster's node timeout), in seconds.</summary>
    public double? DownAfterSeconds { get; init; }

    /// <summary>For replication strategies: <c>AllToAll</c> or <c>PrimaryBackup</c>.</summary>
    public string? ReplicationMode { get; init; }

    /// <summary>For replication strategies: <c>Sync</c> or <c>Async</c> copies.</summary>
    public string? ReplicationAck { get; init; }

    /// <summary>For replication strategies: whether HAProxy routed by the owner cookie.</summary>
    public bool? OwnerRouting { get; init; }

    /// <summary>For replication strategies: writes (commits, touches, deletes) the owners applied during the run.</summary>
    public long? ReplicationWrites { get; init; }

    /// <summary>For replication strategies: bytes of copy frames (the owner's copies and the replicas' acknowledgements) per write, counted by the nodes' transport.</summary>
    public double? ReplicationBytesPerWrite { get; init; }

    /// <summary>For replication strategies: copy messages per write (in async mode several copies share a message).</summary>
    public double? ReplicationMessagesPerWrite { get; init; }

    /// <summary>For replication strategies: bytes of session data each node held at the end of the run.</summary>
    public IReadOnlyDictionary<string, long>? BytesHeldPerNode { get; init; }

    /// <summary>For replication strategies: live sessions each node held at the end of the run.</summary>
    public IReadOnlyDictionary<string, long>? SessionsHeldPerNode { get; init; }

    /// <summary>For replication strategies: loads a non-owner sent to the owner, per request.</summary>
    public double? ForwardedLoadsPerRequest { get; init; }

    /// <summary>For replication strategies: the mean time of a forwarded load, in milliseconds (the non-owner's extra hop).</summary>
    public double? ForwardedLoadMs { get; init; }

    /// <summary>For replication strategies: commits a non-owner sent to the owner, per write.</summary>
    public double? ForwardedCommitsPerWrite { get; init; }

    /// <summary>For replication strategies: sessions written on both sides of a partition, found at the heal.</summary>
    public long? ReplicationConflicts { get; init; }

    /// <summary>For replication strategies: sessions deleted on one side and alive on the other at a heal (the delete won).</summary>
    public long? ReplicationDeletesWon { get; init; }

    /// <summary>For replication strategies: bytes sent because the view changed (a new owner's epoch, a new backup), not because of writes.</summary>
    public long? RebalanceBytes { get; init; }

    /// <summary>What the users did: <c>mixed</c>, <c>read</c>, <c>write</c> or <c>contended</c> (see <c>--workload</c>).</summary>
    public string? Workload { get; init; }

    /// <summary>For the read, write and contended workloads: concurrent connections (instead of virtual users).</summary>
    public int? Connections { get; init; }

    /// <summary>For the write and contended workloads: sessions the requests were spread over.</summary>
    public int? Sessions { get; init; }

    /// <summary>How many rounds the figures add up (<c>--rounds</c>, alternating between the strategies).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Requests per second of each round, in order.</summary>
    public IReadOnlyList<double> RoundRps { get; init; } = [];

    /// <summary>
    /// Store requests per HTTP request, counted by the store server (Redis: <c>INFO commandstats</c> before and after the
    /// measured run; a script call is one round trip); null when the strategy has no Redis.
    /// </summary>
    public double? StoreRoundTripsPerRequest { get; init; }

    /// <summary>Commands per HTTP request, the commands a script ran included (Redis <c>INFO commandstats</c>); null without Redis.</summary>
    public double? StoreCommandsPerRequest { get; init; }

    /// <summary>
    /// Session fixation, checked once per strategy with a real login: true when the id a browser had before signing in is
    /// signed in afterwards, false when it is not, null when the lab could not tell.
    /// </summary>
    public bool? PreLoginIdSignedInAfterLogin { get; init; }

    /// <summary>409 answers (a compare-and-set that gave up); they are errors too.</summary>
    public long Conflicts { get; init; }

    /// <summary>For the write and contended workloads: increments answered 200 (lost updates are those missing from the final counters).</summary>
    public long? AcknowledgedWrites { get; init; }

    /// <summary>For redis: how the store kept data on disk (<c>none</c>, <c>rdb</c>, <c>aof-everysec</c>, <c>aof-always</c>); null: the strategy's default (none).</summary>
    public string? Persistence { get; init; }

    /// <summary>True when the nodes reached the store through the lab's fault proxies; null when they connected directly.</summary>
    public bool? StoreLinksProxied { get; init; }

    /// <summary>True when the nodes kept copies of sessions (the near cache); null when off.</summary>
    public bool? NearCache { get; init; }

    /// <summary>True for the session-free measurement (<c>GET /baseline</c>) taken beside a read run on the same deployment; null otherwise.</summary>
    public bool? SessionFree { get; init; }

    /// <summary>Logouts timed before the rounds (<c>--logout-trials</c>); null when none.</summary>
    public int? LogoutTrials { get; init; }

    /// <summary>Answers that still showed a session signed in on another node after its logout had been answered.</summary>
    public long? LogoutStaleAnswers { get; init; }

    /// <summary>
    /// How long a logout on one node went unseen on another, per trial: from the logout's answer to the start of the
    /// last request the other node still answered as signed in (0 when the first one after it was already refused).
    /// </summary>
    public double? LogoutUnseenP50Ms { get; init; }

    /// <inheritdoc cref="LogoutUnseenP50Ms"/>
    public double? LogoutUnseenP99Ms { get; init; }

    /// <inheritdoc cref="LogoutUnseenP50Ms"/>
    public double? LogoutUnseenMaxMs { get; init; }

    /// <summary>For a fault run: the parameters given to the fault (<c>latency 3 s, 1 node</c>); null when none.</summary>
    public string? FaultSettings { get; init; }

    /// <summary>For a lasting fault: how long it held, in seconds (a link fault until healed; a store restart until the store answered).</summary>
    public double? FaultHeldSeconds { get; init; }

    /// <summary>For a store link fault: how many node → store links it hit.</summary>
    public int? LinksHit { get; init; }

    /// <summary>For a lasting fault: requests that need the session store, started while it held.</summary>
    public long? RequestsDuringFault { get; init; }

    /// <summary>For a lasting fault: of those, the errors.</summary>
    public long? ErrorsDuringFault { get; init; }

    /// <summary>For a lasting fault: of those errors, the ones no node answered (HAProxy with no server up, timeouts, broken connections).</summary>
    public long? ErrorsNotServedDuringFault { get; init; }

    /// <summary>For a lasting fault: the 99th percentile latency of the requests started while it held, in milliseconds.</summary>
    public double? P99DuringFaultMs { get; init; }

    /// <summary>For a lasting fault: the longest request started while it held, in milliseconds.</summary>
    public double? MaxDuringFaultMs { get; init; }

    /// <summary>
    /// For a lasting fault: the longest error a node answered while it held (a fail-closed 503), in milliseconds. The
    /// design bounds it by the store timeout (2 s) per store call, and the circuit breaker by less.
    /// </summary>
    public double? LongestNodeFailureMs { get; init; }

    /// <summary>For a lasting fault: which request that slowest error was (<c>POST /counter</c>).</summary>
    public string? LongestNodeFailureOperation { get; init; }

    /// <summary>For <c>restart-store</c>: seconds from the SIGKILL until the restarted store answered.</summary>
    public double? StoreRestartSeconds { get; init; }

    /// <summary>For <c>restart-store</c>: sessions the store held just before the SIGKILL.</summary>
    public long? StoredSessionsBeforeFault { get; init; }

    /// <summary>For <c>restart-store</c>: sessions the store held once restarted from its files.</summary>
    public long? StoredSessionsAfterFault { get; init; }

    /// <summary>For <c>restart-store</c> with RDB snapshots: changes not yet in a snapshot at the SIGKILL.</summary>
    public long? ChangesSinceLastSave { get; init; }

    /// <summary>For <c>slow-store</c>: the reply delay it added, in milliseconds (below or above the store timeout decides what it promises).</summary>
    public double? FaultLatencyMs { get; init; }

    /// <summary>
    /// For <c>partition-master</c>: how long the cut-off master kept acknowledging writes after the cut, in seconds, as a
    /// probe writing through a node on its side saw it (bounded by <c>min-replicas-max-lag</c> when min-replicas-to-write is set).
    /// </summary>
    public double? MinorityWritesAcceptedSeconds { get; init; }

    /// <summary>For <c>partition-master</c>: the probe's writes through a node on the cut-off master's side, and what the heal kept of them.</summary>
    public Chaos.SplitBrainCheck? SplitBrain { get; init; }

    /// <summary>The seconds after the fault that the during-fault figures cover: how long it held, or for an instant fault until every user was served again (at least 1 s).</summary>
    public double? FaultWindowSeconds { get; init; }

    /// <summary>For <c>partition-peers</c>: the probe sessions deleted on one side and written on the other, written on both, and what the nodes answered after the heal.</summary>
    public Chaos.HealCheck? PartitionHeal { get; init; }

    /// <summary>Per-second requests, errors and sessions lost.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries { get; init; } = [];
}
