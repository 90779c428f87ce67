using System.Globalization;

namespace Stickless.Lab.Deployment.Redis;

/// <summary>
/// Commands a Redis server executed, by name, from <c>INFO commandstats</c> (<c>cmdstat_get:calls=12,usec=…</c>); the
/// difference of two readings is what a run cost the store, counted by the server and not by the client measured.
/// </summary>
/// <remarks>
/// Redis counts the commands a script runs (<c>redis.call</c>) under their own names, beside the <c>EVALSHA</c> that ran
/// them, and does not tell them apart from commands a client sent. <see cref="RoundTrips"/> therefore counts a script
/// call as one round trip and, when any script ran, only the commands that cannot come from a script (script calls,
/// transactions, <c>WAIT</c>, connection commands, <c>PING</c>): a store that sends some data commands directly and others
/// inside scripts would be under-counted. <see cref="Commands"/> counts everything, script bodies included.
/// </remarks>
internal sealed class RedisCommandStats
{
    // Sent by the lab itself (these readings, master checks, the dashboard's session counts), not by the nodes.
    private static readonly HashSet<string> LabCommands = new(StringComparer.Ordinal) { "info", "role", "zcount", "scan" };

    private static readonly HashSet<string> ScriptEntries = new(StringComparer.Ordinal)
    {
        "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro",
    };

    // Commands a script cannot run (or never does), so they always come from a client.
    private static readonly HashSet<string> ClientOnly = new(StringComparer.Ordinal)
    {
        "multi", "exec", "discard", "watch", "unwatch", "wait", "waitaof", "hello", "auth", "select", "ping", "quit", "reset",
        "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe", "echo",
    };

    private readonly Dictionary<string, long> calls;

    private RedisCommandStats(Dictionary<string, long> calls) => this.calls = calls;

    /// <summary>No command at all.</summary>
    public static RedisCommandStats Empty { get; } = new(new Dictionary<string, long>(StringComparer.Ordinal));

    /// <summary>Calls per command name (<c>get</c>, <c>client|setname</c>).</summary>
    public IReadOnlyDictionary<string, long> Calls => calls;

    /// <summary>Every command executed, script bodies included, except the lab's own.</summary>
    public long Commands => calls.Where(static c => !LabCommands.Contains(c.Key)).Sum(static c => c.Value);

    /// <summary>Requests a client sent and waited for (see the remarks), except the lab's own.</summary>
    public long RoundTrips
    {
        get
        {
            var scripted = calls.Where(static c => ScriptEntries.Contains(c.Key)).Sum(static c => c.Value) > 0;
            return scripted
                ? calls.Where(static c => ScriptEntries.Contains(c.Key) || IsClientOnly(c.Key)).Sum(static c => c.Value)
                : Commands;
        }
    }

    /// <summary>Parses an <c>INFO commandstats</c> answer; lines it does not understand are skipped.</summary>
    public static RedisCommandStats Parse(string? info)
    {
        var parsed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (field, value) in RedisInfo.Parse(info))
        {
            if (!field.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var part in value.Split(','))
            {
                if (part.StartsWith("calls=", StringComparison.Ordinal)
                    && long.TryParse(part.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    parsed[field["cmdstat_".Length..].ToLowerInvariant()] = count;
                }
            }
        }

        return new RedisCommandStats(parsed);
    }

    /// <summary>
    /// The commands of every master among the deployment's Redis servers (services named <c>redis</c>, <c>redisN</c>);
    /// replicas are left out, since they replay what their master executed. Null when the deployment has no Redis, or
    /// one did not answer.
    /// </summary>
    public static async Task<RedisCommandStats?> ReadAsync(LabDeployment deployment, CancellationToken cancellationToken)
    {
        var servers = deployment.Services.Where(static s => s.Name.StartsWith("redis", StringComparison.Ordinal) && s.IsAlive).ToList();
        if (servers.Count == 0)
        {
            return null;
        }

        try
        {
            var total = Empty;
            foreach (var server in servers)
            {
                if (servers.Count > 1 && !await RedisInfo.IsMasterAsync(server.Port, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                total = total.Plus(Parse(await RedisLabClient.ExecuteAsync(server.Port, ["INFO", "commandstats"], cancellationToken).ConfigureAwait(false) as string));
            }

            return total;
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>What ran between <paramref name="before"/> and this reading (a counter that went down, after a restart, counts from zero).</summary>
    public RedisCommandStats Minus(RedisCommandStats before)
    {
        var delta = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in calls)
        {
            var earlier = before.calls.GetValueOrDefault(name);
            var ran = count >= earlier ? count - earlier : count;
            if (ran > 0)
            {
                delta[name] = ran;
            }
        }

        return new RedisCommandStats(delta);
    }

    /// <summary>Both readings added.</summary>
    public RedisCommandStats Plus(RedisCommandStats other)
    {
        var sum = new Dictionary<string, long>(calls, StringComparer.Ordinal);
        foreach (var (name, count) in other.calls)
        {
            sum[name] = sum.GetValueOrDefault(name) + count;
        }

        return new RedisCommandStats(sum);
    }

    private static bool IsClientOnly(string name) =>
        ClientOnly.Contains(name)
        || name.StartsWith("client|", StringComparison.Ordinal)
        || name.StartsWith("script|", StringComparison.Ordinal)
        || name.StartsWith("function|", StringComparison.Ordinal);
}
