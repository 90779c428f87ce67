using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Cluster;

/// <summary>One command or script on its way to a cluster node, resent as it is redirected.</summary>
internal readonly struct ClusterCall
{
    private static readonly ReadOnlyMemory<byte>[] NoArgs = [];

    private ClusterCall(string command, ReadOnlyMemory<byte>[] args, RedisScript? script, ReadOnlyMemory<byte>[] keys, int replicas = -1, TimeSpan waitTimeout = default)
    {
        Command = command;
        Args = args;
        Script = script;
        Keys = keys;
        Replicas = replicas;
        WaitTimeout = waitTimeout;
    }

    /// <summary>The command name (<c>EVALSHA</c> for a script), for messages.</summary>
    public string Command { get; }

    public ReadOnlyMemory<byte>[] Args { get; }

    public RedisScript? Script { get; }

    public ReadOnlyMemory<byte>[] Keys { get; }

    /// <summary>For a script, the replicas to <c>WAIT</c> for right after it on the same connection; -1 for no WAIT.</summary>
    public int Replicas { get; }

    public TimeSpan WaitTimeout { get; }

    public static ClusterCall ForCommand(string command, ReadOnlyMemory<byte>[] args) => new(command, args, null, NoArgs);

    public static ClusterCall ForScript(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args) => new("EVALSHA", args, script, keys);

    public static ClusterCall ForScriptAndWait(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, int replicas, TimeSpan waitTimeout) =>
        new("EVALSHA", args, script, keys, replicas, waitTimeout);

    /// <summary>
    /// Sends the call on <paramref name="node"/>'s connections (a script by SHA, EVAL on NOSCRIPT; with WAIT on a
    /// durable lane). Returns the reply and, after a WAIT, how many replicas acknowledged (else 0).
    /// </summary>
    public async ValueTask<(RespValue Reply, long Acknowledged)> SendAsync(RedisClient node, CancellationToken cancellationToken)
    {
        if (Script is null)
        {
            return (await node.ExecuteAsync(Command, Args, cancellationToken).ConfigureAwait(false), 0);
        }

        if (Replicas >= 0)
        {
            return await node.EvalAndWaitAsync(Script, Keys, Args, Replicas, WaitTimeout, cancellationToken).ConfigureAwait(false);
        }

        return (await node.EvalAsync(Script, Keys, Args, cancellationToken).ConfigureAwait(false), 0);
    }

    /// <summary>
    /// Sends the call as the one command after <c>ASKING</c> (the caller holds the connection alone). A script
    /// goes as <c>EVAL</c> with its text, so that a NOSCRIPT retry never leaves the ASKING window.
    /// </summary>
    public async ValueTask<(RespValue Reply, long Acknowledged)> SendAfterAskingAsync(RedisClient node, CancellationToken cancellationToken)
    {
        await node.ExecuteAsync("ASKING", cancellationToken).ConfigureAwait(false);
        if (Script is null)
        {
            return (await node.ExecuteAsync(Command, Args, cancellationToken).ConfigureAwait(false), 0);
        }

        var evalArgs = new ReadOnlyMemory<byte>[2 + Keys.Length + Args.Length];
        evalArgs[0] = Script.LuaBytes;
        Span<byte> digits = stackalloc byte[11];
        Utf8Formatter.TryFormat(Keys.Length, digits, out var length);
        evalArgs[1] = digits[..length].ToArray();
        Keys.CopyTo(evalArgs, 2);
        Args.CopyTo(evalArgs, 2 + Keys.Length);
        var reply = await node.ExecuteAsync("EVAL", evalArgs, cancellationToken).ConfigureAwait(false);
        if (Replicas < 0)
        {
            return (reply, 0);
        }

        // The same connection, so WAIT counts this write.
        var acknowledged = await node.ExecuteAsync("WAIT", [Encoding.ASCII.GetBytes(Replicas.ToString(CultureInfo.InvariantCulture)),
            Encoding.ASCII.GetBytes(((long)Math.Ceiling(WaitTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture))], cancellationToken).ConfigureAwait(false);
        return (reply, acknowledged.GetInt64());
    }
}
