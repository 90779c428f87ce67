using System.Buffers.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

public sealed partial class RedisClient
{
    /// <summary>
    /// Runs <paramref name="script"/> with <c>EVALSHA</c>; if the server's script cache lacks it
    /// (<c>NOSCRIPT</c>, e.g. after a restart, failover or <c>SCRIPT FLUSH</c>) sends it once with <c>EVAL</c>,
    /// which also caches it. Each of the two attempts has its own command timeout.
    /// </summary>
    /// <exception cref="RedisServerException">The script raised an error, or the server refused it.</exception>
    /// <exception cref="RedisTimeoutException">No reply within the command timeout.</exception>
    /// <exception cref="RedisConnectionException">No connection, or it failed before the reply arrived.</exception>
    public async ValueTask<RespValue> EvalAsync(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(args);
        var evalArgs = new ReadOnlyMemory<byte>[2 + keys.Length + args.Length];
        evalArgs[0] = script.Sha1Bytes;
        evalArgs[1] = FormatInteger(keys.Length);
        keys.CopyTo(evalArgs, 2);
        args.CopyTo(evalArgs, 2 + keys.Length);
        try
        {
            return await ExecuteAsync("EVALSHA", evalArgs, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.IsNoScript)
        {
            RedisLog.ScriptReloaded(_logger, script.Sha1);
            // The EVALSHA has been answered, so its argument array is ours to reuse.
            evalArgs[0] = script.LuaBytes;
            return await ExecuteAsync("EVAL", evalArgs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads <paramref name="script"/> into the server's script cache (<c>SCRIPT LOAD</c>) ahead of use.</summary>
    /// <exception cref="RedisServerException">The script does not compile, or the server returned another SHA-1.</exception>
    public async ValueTask LoadScriptAsync(RedisScript script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var reply = await ExecuteAsync("SCRIPT", [Load, script.LuaBytes], cancellationToken).ConfigureAwait(false);
        if (reply.GetString() != script.Sha1)
        {
            throw new RedisServerException($"ERR SCRIPT LOAD returned {reply.GetString()}, expected {script.Sha1}.");
        }
    }

    private static readonly ReadOnlyMemory<byte> Load = "LOAD"u8.ToArray();

    private static ReadOnlyMemory<byte> FormatInteger(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var length);
        return digits[..length].ToArray();
    }
}
