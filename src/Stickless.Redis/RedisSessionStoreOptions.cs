namespace Stickless.Redis;

/// <summary>Settings of <see cref="RedisSessionStore"/>.</summary>
public sealed partial class RedisSessionStoreOptions : IValidatedOptions
{
    /// <summary>The configuration key that <c>AddRedis</c> reads the connection string from.</summary>
    public const string ConfigurationKey = "Stickless:Redis:Configuration";

    /// <summary>
    /// The connection string: endpoints and options, for example <c>127.0.0.1:6379,password=secret</c>
    /// (see <c>RedisConnectionOptions.Parse</c>). Required.
    /// </summary>
    public string Configuration { get; set; } = "";

    /// <summary>
    /// The prefix of every key the store writes. Default <c>stickless:</c>: a session is the hash
    /// <c>stickless:{&lt;id&gt;}</c>, the expiry index <c>stickless:expiry</c>, a user's index
    /// <c>stickless:user:{&lt;principal&gt;}</c>, the event channel <c>stickless:events</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "stickless:";

    /// <summary>
    /// The longest one store call may take, connecting included, before it fails with
    /// <see cref="SessionStoreUnavailableException"/>. Default 2 seconds (as <c>SticklessOptions.StoreTimeout</c>).
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest a connection attempt may take; calls made meanwhile wait at most their own
    /// <see cref="OperationTimeout"/>. A failed attempt is retried by the next call, so an app starts
    /// (and answers 503) while Redis is down. Default 5 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True to publish lifecycle events (created, renewed, deleted, expired) on the event channel from
    /// the store's scripts, and to subscribe to it so that this node's <see cref="SessionEventPublisher"/>
    /// hears every node's events. Default true.
    /// </summary>
    public bool PublishEvents { get; set; } = true;

    /// <summary>
    /// How often the expiry sweeper looks for sessions Redis has expired, to report them as
    /// <see cref="SessionEventKind.Expired"/> and prune the per-user index. One node sweeps at a time
    /// (a lock with this lifetime). Default 5 seconds; <see cref="TimeSpan.Zero"/> disables the sweeper.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most expired sessions one sweep reports before the next tick. Default 1000.</summary>
    public int SweepBatchSize { get; set; } = 1000;

    /// <summary>
    /// How many replicas must acknowledge every commit, rotation and delete (<c>WAIT</c>, pipelined behind
    /// the script on the same connection) before the store reports it done. Default 0: no WAIT (Redis's
    /// asynchronous replication; a failover loses the writes its replicas had not received yet). Setting
    /// <c>Stickless:Redis:WaitForReplicas</c>. WAIT narrows that window, it does not close it: see the README,
    /// "High availability".
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>
    /// The longest a write waits for <see cref="WaitForReplicas"/> acknowledgements; then
    /// <see cref="WaitFailurePolicy"/> decides. Must be shorter than <see cref="OperationTimeout"/>. Default
    /// 500 ms. Setting <c>Stickless:Redis:WaitTimeout</c> (milliseconds, or a time span such as 00:00:00.5).
    /// </summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// What a write that fewer replicas acknowledged does. Default <see cref="RedisWaitFailurePolicy.FailRequest"/>.
    /// Setting <c>Stickless:Redis:WaitFailurePolicy</c> (<c>FailRequest</c> | <c>AcceptAndCount</c>).
    /// </summary>
    public RedisWaitFailurePolicy WaitFailurePolicy { get; set; } = RedisWaitFailurePolicy.FailRequest;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(Configuration)} must be set (for example \"127.0.0.1:6379\", or the setting {ConfigurationKey}).");
        }

        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Contains('{', StringComparison.Ordinal) || KeyPrefix.Contains('}', StringComparison.Ordinal))
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(KeyPrefix)} must be non-empty and free of braces, which Redis Cluster reads as a hash tag (was \"{KeyPrefix}\").");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(OperationTimeout)} must be between 0 and 5 minutes (was {OperationTimeout}).");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(ConnectTimeout)} must be between 0 and 5 minutes (was {ConnectTimeout}).");
        }

        if (SweepInterval < TimeSpan.Zero || SweepInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(SweepInterval)} must be between 0 and 1 hour (was {SweepInterval}).");
        }

        if (SweepBatchSize is < 1 or > 100_000)
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(SweepBatchSize)} must be between 1 and 100000 (was {SweepBatchSize}).");
        }

        ValidateWait(errors);
    }
}
