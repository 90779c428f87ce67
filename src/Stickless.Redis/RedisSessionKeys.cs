using System.Text;

namespace Stickless.Redis;

/// <summary>
/// The key layout (revision <see cref="LayoutRevision"/>, see Scripts/README.md). Every key of one
/// session carries the id as its hash tag, so Redis Cluster can place a session without a layout change.
/// </summary>
internal sealed class RedisSessionKeys
{
    /// <summary>The layout revision the scripts write into each hash's <c>rev</c> field.</summary>
    public const int LayoutRevision = 1;

    private readonly byte[] _sessionPrefix;

    public RedisSessionKeys(string prefix)
    {
        Prefix = prefix;
        _sessionPrefix = Encoding.UTF8.GetBytes(prefix + "{");
        Expiry = Encoding.UTF8.GetBytes(prefix + "expiry");
        SweepLock = Encoding.UTF8.GetBytes(prefix + "sweeper");
        UserPrefix = Encoding.UTF8.GetBytes(prefix + "user:");
        ChannelName = prefix + "events";
        Channel = Encoding.UTF8.GetBytes(ChannelName);
        SessionPrefixBytes = Encoding.UTF8.GetBytes(prefix);
    }

    public string Prefix { get; }

    /// <summary><c>&lt;prefix&gt;expiry</c>: sorted set, score = expiry (ms), member = <c>id</c> or <c>id:principal</c>.</summary>
    public byte[] Expiry { get; }

    /// <summary><c>&lt;prefix&gt;sweeper</c>: the sweeper's lock (SET NX PX).</summary>
    public byte[] SweepLock { get; }

    /// <summary><c>&lt;prefix&gt;user:</c>: a principal's index is <c>&lt;prefix&gt;user:{principal}</c>.</summary>
    public byte[] UserPrefix { get; }

    /// <summary>The prefix of session hashes without the brace (the sweeper adds <c>{id}</c>).</summary>
    public byte[] SessionPrefixBytes { get; }

    /// <summary><c>&lt;prefix&gt;events</c>: the pub/sub channel of lifecycle events.</summary>
    public byte[] Channel { get; }

    public string ChannelName { get; }

    /// <summary><c>&lt;prefix&gt;{id}</c>: the session hash.</summary>
    public byte[] Session(string id)
    {
        var key = new byte[_sessionPrefix.Length + Encoding.UTF8.GetByteCount(id) + 1];
        _sessionPrefix.CopyTo(key, 0);
        var written = Encoding.UTF8.GetBytes(id, 0, id.Length, key, _sessionPrefix.Length);
        key[_sessionPrefix.Length + written] = (byte)'}';
        return key;
    }

    /// <summary><c>&lt;prefix&gt;user:{principal}</c>: the principal's set of session ids.</summary>
    public byte[] User(string principal) => Encoding.UTF8.GetBytes(Prefix + "user:{" + principal + "}");
}
