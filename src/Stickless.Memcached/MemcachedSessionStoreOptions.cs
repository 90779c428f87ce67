using Stickless.Memcached.Ring;

namespace Stickless.Memcached;

/// <summary>Settings of <see cref="MemcachedSessionStore"/>, bound from <c>Stickless:Memcached</c>.</summary>
public sealed class MemcachedSessionStoreOptions : IValidatedOptions
{
    /// <summary>
    /// The servers as <c>host:port[ weight][ name]</c> strings (<c>Stickless:Memcached:Servers:0=10.0.0.5:11211</c>).
    /// Their order does not matter except for ties on the ring. Required unless <see cref="Nodes"/> lists them.
    /// </summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>The same, as objects (<c>Stickless:Memcached:Nodes:0:Host</c>, <c>Port</c>, <c>Weight</c>, <c>Name</c>); added after <see cref="Servers"/>.</summary>
    public List<MemcachedServerOptions> Nodes { get; set; } = [];

    /// <summary>
    /// True to keep a backup copy of every session on the next distinct node of the ring, written after the primary.
    /// A node's death then loses no session. Doubles memory and adds a round trip to every commit. Default false.
    /// </summary>
    public bool Backup { get; set; }

    /// <summary>
    /// The secret that keys the HMAC of session ids (and of user names for the per-user index) and the encryption of the
    /// ids the store must remember (grace aliases, the per-user index): raw ids never reach memcached. Every app node must
    /// use the same one; at least 32 characters. Required.
    /// </summary>
    public string HashKey { get; set; } = "";

    /// <summary>Prefix of every key. Default <c>sl:</c> (sessions are <c>sl:s:&lt;hmac&gt;</c>, backups <c>sl:b:&lt;hmac&gt;</c>, user indexes <c>sl:u:&lt;hmac&gt;</c>).</summary>
    public string KeyPrefix { get; set; } = "sl:";

    /// <summary>How nodes without a configured name are named on the ring. Default <see cref="KetamaNameFormat.Libmemcached"/>.</summary>
    public KetamaNameFormat NameFormat { get; set; } = KetamaNameFormat.Libmemcached;

    /// <summary>The longest one memcached call may take. Default 1 second: an answer that late comes from a starved app server more often than from memcached, and a dead memcached is noticed at once anyway (refused, reset).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest connecting (socket, version check, settings) may take. Default 500 ms.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a node marked down is probed. Default 1 second.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Without <see cref="Backup"/>: how long a node must have been down before its sessions are presumed lost (loads
    /// answer "no session", so users get a fresh one). Before that, a load of one of its sessions fails with
    /// <see cref="SessionStoreUnavailableException"/>, so a node that only blinked loses nobody. Default 3 seconds.
    /// </summary>
    public TimeSpan PresumeLostAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Timeouts in a row after which a node is marked down. Default 3 (a loaded app server stalls; a dead memcached refuses).</summary>
    public int MarkDownAfterTimeouts { get; set; } = 3;

    /// <summary>How many times a commit re-reads and retries when another writer changed the session first. Default 100; after the second attempt each waits a random moment (at most 2 ms per attempt so far).</summary>
    public int MaxCommitAttempts { get; set; } = 100;

    /// <summary>The servers from <see cref="Servers"/> and <see cref="Nodes"/>, parsed; invalid entries are skipped (see <see cref="Validate"/>).</summary>
    public IReadOnlyList<MemcachedServerAddress> ParseServers()
    {
        var servers = new List<MemcachedServerAddress>();
        foreach (var text in Servers)
        {
            if (MemcachedServerAddress.TryParse(text, out var address, out _))
            {
                servers.Add(address!);
            }
        }

        foreach (var node in Nodes)
        {
            if (!string.IsNullOrWhiteSpace(node.Host))
            {
                servers.Add(new MemcachedServerAddress(node.Host, node.Port, node.Weight, node.Name));
            }
        }

        return servers;
    }

    /// <inheritdoc />
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var text in Servers)
        {
            if (!MemcachedServerAddress.TryParse(text, out _, out var error))
            {
                errors.Add($"{nameof(Servers)}: {error}");
            }
        }

        foreach (var node in Nodes)
        {
            if (string.IsNullOrWhiteSpace(node.Host)) { errors.Add($"{nameof(Nodes)}: a node has no Host."); }
            if (node.Port is < 1 or > 65535) { errors.Add($"{nameof(Nodes)}: {node.Host} has an invalid port {node.Port}."); }
            if (node.Weight < 1) { errors.Add($"{nameof(Nodes)}: {node.Host} has weight {node.Weight}; weights start at 1."); }
        }

        var servers = ParseServers();
        if (servers.Count == 0)
        {
            errors.Add($"{nameof(Servers)} must list at least one server (for example Stickless:Memcached:Servers:0=127.0.0.1:11211).");
        }

        var names = servers.Select(s => s.RingName(NameFormat)).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            errors.Add($"{nameof(Servers)}: two servers have the same ring name ({string.Join(", ", names)}).");
        }

        if (Backup && servers.Count < 2)
        {
            errors.Add($"{nameof(Backup)} needs at least two servers (a backup lives on another node).");
        }

        if (string.IsNullOrEmpty(HashKey) || HashKey.Length < 32)
        {
            errors.Add($"{nameof(HashKey)} must be a secret of at least 32 characters, the same on every app node (it keys the hash of session ids).");
        }

        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > 32 || KeyPrefix.Any(c => c is <= ' ' or > '~'))
        {
            errors.Add($"{nameof(KeyPrefix)} must be 1 to 32 printable ASCII characters without spaces (was '{KeyPrefix}').");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromMinutes(1)) { errors.Add($"{nameof(OperationTimeout)} must be between 0 and 1 minute (was {OperationTimeout})."); }
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(1)) { errors.Add($"{nameof(ConnectTimeout)} must be between 0 and 1 minute (was {ConnectTimeout})."); }
        if (ProbeInterval < TimeSpan.FromMilliseconds(10) || ProbeInterval > TimeSpan.FromMinutes(10)) { errors.Add($"{nameof(ProbeInterval)} must be between 10 ms and 10 minutes (was {ProbeInterval})."); }
        if (MarkDownAfterTimeouts is < 1 or > 100) { errors.Add($"{nameof(MarkDownAfterTimeouts)} must be between 1 and 100 (was {MarkDownAfterTimeouts})."); }
        if (PresumeLostAfter < TimeSpan.Zero || PresumeLostAfter > TimeSpan.FromHours(1)) { errors.Add($"{nameof(PresumeLostAfter)} must be between 0 and 1 hour (was {PresumeLostAfter})."); }
        if (MaxCommitAttempts is < 1 or > 1000) { errors.Add($"{nameof(MaxCommitAttempts)} must be between 1 and 1000 (was {MaxCommitAttempts})."); }
    }
}
