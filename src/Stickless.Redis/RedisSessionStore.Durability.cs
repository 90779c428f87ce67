using Microsoft.Extensions.Logging;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    /// <summary>
    /// Runs a writing script (commit, rotation, delete). With <see cref="RedisSessionStoreOptions.WaitForReplicas"/>
    /// set, <c>WAIT</c> goes pipelined right behind it on the same connection and the number of replicas that
    /// acknowledged is returned (null when not waiting); <see cref="EnsureReplicated"/> judges it once the
    /// reply says the script wrote something.
    /// </summary>
    private async ValueTask<(RespValue Reply, long? Acknowledged)> EvalWriteAsync(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        if (_options.WaitForReplicas == 0)
        {
            return (await EvalAsync(script, keys, args, cancellationToken).ConfigureAwait(false), null);
        }

        using var timeout = StartTimeout(cancellationToken);
        try
        {
            var client = await GetClientAsync(timeout.Token).ConfigureAwait(false);
            // The store may talk to one server or to a cluster; each client that can WAIT says so with this interface.
#pragma warning disable CA1859
            var waiter = client as IRedisReplicaWaiter
                ?? throw new NotSupportedException($"{nameof(RedisSessionStoreOptions.WaitForReplicas)} is not supported by {client.GetType().Name}.");
#pragma warning restore CA1859
            var (reply, acknowledged) = await waiter.EvalAndWaitAsync(script, keys, args, _options.WaitForReplicas, _options.WaitTimeout, timeout.Token).ConfigureAwait(false);
            return (reply.ThrowIfError(), acknowledged);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>
    /// Applies <see cref="RedisSessionStoreOptions.WaitFailurePolicy"/> to a write the master has applied but fewer
    /// replicas than asked acknowledged: count it, then fail the request or accept it.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">Too few acknowledgements under <see cref="RedisWaitFailurePolicy.FailRequest"/>.</exception>
    private void EnsureReplicated(long? acknowledged, string operation)
    {
        if (acknowledged is not { } count || count >= _options.WaitForReplicas)
        {
            return;
        }

        var policy = _options.WaitFailurePolicy;
        _metrics.WaitShortfall(operation, policy);
        var waitedMs = (long)_options.WaitTimeout.TotalMilliseconds;
        LogWaitShortfall(_logger, operation, count, _options.WaitForReplicas, waitedMs, policy);
        if (policy == RedisWaitFailurePolicy.FailRequest)
        {
            throw new SessionStoreUnavailableException(
                $"Redis applied the {operation} but only {count} of {_options.WaitForReplicas} replicas acknowledged it within {waitedMs} ms; " +
                "the write stands on the master and may yet replicate, or be lost if the master fails over now.");
        }
    }

    [LoggerMessage(EventId = 3120, EventName = "RedisStoreWaitShortfall", Level = LogLevel.Warning,
        Message = "Redis {Operation} acknowledged by {Acknowledged} of {Required} replicas within {WaitMs} ms; policy {Policy}.")]
    private static partial void LogWaitShortfall(ILogger logger, string operation, long acknowledged, int required, long waitMs, RedisWaitFailurePolicy policy);
}
