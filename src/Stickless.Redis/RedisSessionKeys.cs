using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>
/// The key layout (revision <see cref="LayoutRevision"/>, see Scripts/README.md). Every key of one
/// session carries the id as its hash tag, so Redis Cluster places a session in one slot.
/// </summary>
internal sealed class RedisSessionKeys
{
    /// <summary>The layout revision the scripts write into each hash's <c>rev</c> field.</summary>
    public const int LayoutRevision = 1;

    public RedisSessionKeys(string prefix)
    {
        Prefix = prefix;
        Expiry = prefix + "expiry";
        SweepLock = prefix + "sweeper";
        UserPrefix = prefix + "user:";
        ChannelName = prefix + "events";
        Channel = RedisChannel.Literal(ChannelName);
    }

    public string Prefix { get; }

    /// <summary><c>&lt;prefix&gt;expiry</c>: sorted set, score = expiry (ms), member = <c>id</c> or <c>id:principal</c>.</summary>
    public RedisKey Expiry { get; }

    /// <summary><c>&lt;prefix&gt;sweeper</c>: the sweeper's lock (SET NX PX).</summary>
    public RedisKey SweepLock { get; }

    /// <summary><c>&lt;prefix&gt;user:</c>: a principal's index is <c>&lt;prefix&gt;user:{principal}</c>.</summary>
    public string UserPrefix { get; }

    /// <summary><c>&lt;prefix&gt;events</c>: the pub/sub channel of lifecycle events.</summary>
    public RedisChannel Channel { get; }

    public string ChannelName { get; }

    /// <summary><c>&lt;prefix&gt;{id}</c>: the session hash.</summary>
    public RedisKey Session(string id) => Prefix + "{" + id + "}";

    /// <summary>
    /// <c>&lt;prefix&gt;{id}:rotating</c>: in Redis Cluster, the scratch copy a rotation's first step applies the
    /// change set to, in the session's own slot (the script deletes it before it returns).
    /// </summary>
    public RedisKey Scratch(string id) => Prefix + "{" + id + "}:rotating";

    /// <summary><c>&lt;prefix&gt;user:{principal}</c>: the principal's set of session ids.</summary>
    public RedisKey User(string principal) => UserPrefix + "{" + principal + "}";
}
