using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>
/// Settings of <see cref="RedisSessionStore"/>, bound from the configuration section <c>Stickless:Redis</c> by
/// <c>AddRedis</c>/<c>UseRedis</c> (time spans as the configuration binder reads them, e.g. <c>00:00:02</c>).
/// </summary>
/// <remarks>
/// <para>
/// Where the connection comes from, in this order; set at most one of the first four:
/// </para>
/// <list type="number">
/// <item><see cref="ConnectionMultiplexerFactory"/>: the application's own multiplexer (the RedisCache shape);</item>
/// <item><see cref="ConnectionMultiplexerServiceKey"/>: the keyed <see cref="IConnectionMultiplexer"/> registered in DI
/// (Aspire's <c>AddKeyedRedisClient</c>);</item>
/// <item><see cref="ConfigurationOptions"/>: StackExchange.Redis options; Stickless connects with a clone;</item>
/// <item><see cref="Configuration"/>: a StackExchange.Redis connection string; Stickless connects;</item>
/// <item>none of them: the <see cref="IConnectionMultiplexer"/> registered in DI without a key (Aspire's <c>AddRedisClient</c>).</item>
/// </list>
/// <para>
/// Stickless disposes only a multiplexer it created, never registers a profiler on one it was given, and
/// never changes the <see cref="ConfigurationOptions"/> it was given (it connects with a clone).
/// </para>
/// </remarks>
public sealed partial class RedisSessionStoreOptions : IValidatedOptions
{
    /// <summary>The configuration section the options are bound from, below the <c>Stickless</c> section.</summary>
    public const string SectionName = "Redis";

    /// <summary>
    /// A StackExchange.Redis connection string: <c>127.0.0.1:6379,password=secret</c>; a list of sentinels with
    /// <c>serviceName=mymaster</c>; some nodes of a Redis Cluster (detected). None by default. Setting
    /// <c>Stickless:Redis:Configuration</c>.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// StackExchange.Redis options, for what a connection string cannot say (certificate callbacks, a
    /// <see cref="ConfigurationOptions.LoggerFactory"/>). Stickless connects with a clone and leaves this object
    /// unchanged. None by default; not bound from configuration.
    /// </summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// Hands Stickless a multiplexer the application owns (for example the one its RedisCache or SignalR uses):
    /// <c>o.ConnectionMultiplexerFactory = () =&gt; Task.FromResult(multiplexer)</c>. Called once, on first use.
    /// Stickless never disposes it. None by default; not bound from configuration.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// The service key of an <see cref="IConnectionMultiplexer"/> registered in DI as a keyed service (for example
    /// with Aspire's <c>AddKeyedRedisClient("sessions")</c>). Stickless never disposes it. None by default. Setting
    /// <c>Stickless:Redis:ConnectionMultiplexerServiceKey</c>.
    /// </summary>
    public string? ConnectionMultiplexerServiceKey { get; set; }

    /// <summary>
    /// The prefix of every key the store writes. Default <c>stickless:</c>: a session is the hash
    /// <c>stickless:{&lt;id&gt;}</c>, the expiry index <c>stickless:expiry</c>, a user's index
    /// <c>stickless:user:{&lt;principal&gt;}</c>, the event channel <c>stickless:events</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "stickless:";

    /// <summary>
    /// The one bound of a store call: everything one load, commit, delete or listing does (waiting for the
    /// connection, following a rotated id, retrying what Redis provably did not run, <c>WAIT</c>, the steps of a
    /// Cluster rotation) finishes within it, or the call fails with <see cref="SessionStoreUnavailableException"/>.
    /// On connections Stickless opens it is also StackExchange.Redis's <c>asyncTimeout</c> and <c>syncTimeout</c>,
    /// and a connection that has answered nothing for this long while calls time out is replaced. Keep it at or
    /// below <c>Stickless:StoreTimeout</c>. Default 2 seconds.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest one connection attempt may take (StackExchange.Redis's <c>connectTimeout</c> on connections
    /// Stickless opens). Calls made meanwhile still wait no longer than <see cref="OperationTimeout"/>; an app starts
    /// (and answers 503) while Redis is down, and connects once Redis is back. Default 5 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True to publish lifecycle events (created, renewed, deleted, expired) on the event channel from the
    /// store's scripts, and to subscribe to it so that this node's <see cref="SessionEventPublisher"/> hears every
    /// node's events. Default true.
    /// </summary>
    public bool PublishEvents { get; set; } = true;

    /// <summary>
    /// How often the expiry sweeper looks for sessions Redis has expired, to report them as
    /// <see cref="SessionEventKind.Expired"/> and prune the per-user index. One node sweeps at a time (a lock with
    /// this lifetime). Default 5 seconds; <see cref="TimeSpan.Zero"/> disables the sweeper.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most expired sessions one sweep step looks at (one script call). Default 1000, at most 10000.</summary>
    public int SweepBatchSize { get; set; } = 1000;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var sources = new List<string>(4);
        if (ConnectionMultiplexerFactory is not null) { sources.Add(nameof(ConnectionMultiplexerFactory)); }
        if (!string.IsNullOrWhiteSpace(ConnectionMultiplexerServiceKey)) { sources.Add(nameof(ConnectionMultiplexerServiceKey)); }
        if (ConfigurationOptions is not null) { sources.Add(nameof(ConfigurationOptions)); }
        if (!string.IsNullOrWhiteSpace(Configuration)) { sources.Add(nameof(Configuration)); }
        if (sources.Count > 1)
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}: set only one of {string.Join(", ", sources)}; each names the connection the store uses.");
        }

        if (!string.IsNullOrWhiteSpace(Configuration) && sources.Count == 1)
        {
            try
            {
                _ = ConfigurationOptions.Parse(Configuration);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(Configuration)} is not a StackExchange.Redis connection string: {ex.Message}");
            }
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

        if (SweepBatchSize is < 1 or > 10_000)
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(SweepBatchSize)} must be between 1 and 10000 (was {SweepBatchSize}).");
        }

        ValidateWait(errors);
    }

    /// <summary>True when none of the four sources is set: the store uses DI's unkeyed <see cref="IConnectionMultiplexer"/>.</summary>
    internal bool UsesDefaultMultiplexer =>
        ConnectionMultiplexerFactory is null && string.IsNullOrWhiteSpace(ConnectionMultiplexerServiceKey)
        && ConfigurationOptions is null && string.IsNullOrWhiteSpace(Configuration);
}
