using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;

namespace Stickless.Lab.Deployment;

/// <summary>
/// How the lab asks one Redis server, sentinel or cluster node a question (PING, INFO, ZCOUNT, CLUSTER …): through
/// StackExchange.Redis, one multiplexer per port kept for the lab's life, the command sent to that very server (never
/// routed elsewhere), a one-second budget. RESP2, so that answers keep the shapes the lab reads (flat arrays).
/// <c>SENTINEL</c> commands go through a multiplexer that speaks Sentinel's command set (a sentinel refuses the
/// handshake StackExchange.Redis sends a data server).
/// </summary>
internal static class RedisLabClient
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<(int Port, bool Sentinel), Lazy<Task<ConnectionMultiplexer>>> Connections = new();

    /// <summary>Sends one command; answers a string (simple or bulk), a long, null, or an object array. A server error throws.</summary>
    /// <exception cref="IOException">No answer within a second, no connection, or an error reply.</exception>
    public static async Task<object?> ExecuteAsync(int port, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        try
        {
            var sentinel = string.Equals(command[0], "SENTINEL", StringComparison.OrdinalIgnoreCase);
            var multiplexer = await Connections.GetOrAdd((port, sentinel), static key => new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAsync(key.Port, key.Sentinel)))
                .Value.WaitAsync(Budget, cancellationToken).ConfigureAwait(false);
            var server = multiplexer.GetServer(new IPEndPoint(IPAddress.Loopback, port));
            var reply = await server.ExecuteAsync(command[0], [.. command.Skip(1)], CommandFlags.None).WaitAsync(Budget, cancellationToken).ConfigureAwait(false);
            return Convert(reply);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            throw new IOException($"Redis on port {port} ({command[0]}): {ex.Message}", ex);
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(int port, bool sentinel)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { new IPEndPoint(IPAddress.Loopback, port) },
            AbortOnConnectFail = false, // a server that is down now may be up at the next question
            AllowAdmin = true, // CLUSTER MEET, REPLICAOF, CONFIG …
            ConnectTimeout = (int)Budget.TotalMilliseconds,
            AsyncTimeout = (int)Budget.TotalMilliseconds,
            SyncTimeout = (int)Budget.TotalMilliseconds,
            Protocol = RedisProtocol.Resp2,
            ClientName = "stickless-lab",
        };
        if (sentinel)
        {
            options.CommandMap = CommandMap.Sentinel;
        }

        return Task.Run(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    private static object? Convert(RedisResult reply)
    {
        if (reply.IsNull)
        {
            return null;
        }

        return reply.Resp2Type switch
        {
            ResultType.Integer => (long)reply,
            ResultType.Array => ((RedisResult[])reply!).Select(Convert).ToArray(),
            _ => (string?)reply,
        };
    }
}
