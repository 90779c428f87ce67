using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Stickless.Redis.Connection;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    /// <summary>
    /// Runs a writing script (commit, rotation, delete). With <see cref="RedisSessionStoreOptions.WaitForReplicas"/>
    /// set, it goes on a WAIT lane with <c>WAIT</c> written right behind it, and the number of replicas that
    /// acknowledged is returned (null when not waiting); <see cref="EnsureReplicated"/> judges it once the reply
    /// says the script wrote something.
    /// </summary>
    private async Task<(RedisResult Reply, long? Acknowledged)> EvalWriteAsync(RedisStoreCall call, RedisSessionScript script, RedisKey[] keys, RedisValue[] args)
    {
        if (_lanes is null)
        {
            return (await EvalAsync(call, script, keys, args).ConfigureAwait(false), null);
        }

        var lane = await _lanes.NextAsync(call.Token).ConfigureAwait(false);
        var started = _timeProvider.GetTimestamp();
        var (reply, acknowledged) = await RunAsync(call, lane, script.Name, static (link, state) => EvalAndWaitAsync(link, state.script, state.keys, state.args, state.replicas, state.waitMs), (script, keys, args, replicas: _options.WaitForReplicas, waitMs: RedisArgs.Milliseconds(_options.WaitTimeout))).ConfigureAwait(false);
        _metrics.Waited(_timeProvider.GetElapsedTime(started));
        return (reply, acknowledged);
    }

    /// <summary>
    /// <c>EVALSHA</c> then <c>WAIT</c>, both written to the master of the first key's slot before either reply is
    /// awaited, so that they leave in that order on the lane's one connection to it: <c>WAIT</c> counts the writes
    /// of the connection it is sent on. <c>NoRedirect</c>: a MOVED must not resend the script elsewhere while the
    /// <c>WAIT</c> stays behind (a MOVED means it did not run; the caller retries). On <c>NOSCRIPT</c> (the
    /// script did not run either) the script is loaded and the pair sent once more.
    /// </summary>
    private static async Task<(RedisResult Reply, long Acknowledged)> EvalAndWaitAsync(RedisLink link, RedisSessionScript script, RedisKey[] keys, RedisValue[] args, int replicas, long waitMs)
    {
        IServer server;
        try
        {
            server = link.Multiplexer.GetServer(keys[0], null, CommandFlags.DemandMaster);
        }
        catch (InvalidOperationException ex)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToResolvePhysicalConnection, CommandFlags.DemandMaster, $"No master for the session's slot: {ex.Message}", ex, CommandStatus.WaitingToBeSent);
        }

        var database = link.Database.Database;
        var evalArgs = new object[2 + keys.Length + args.Length];
        evalArgs[0] = script.Sha1;
        evalArgs[1] = keys.Length;
        Array.Copy(keys, 0, evalArgs, 2, keys.Length);
        for (var i = 0; i < args.Length; i++)
        {
            evalArgs[2 + keys.Length + i] = args[i];
        }

        for (var attempt = 0; ; attempt++)
        {
            var eval = server.ExecuteAsync(database, "EVALSHA", evalArgs, CommandFlags.DemandMaster | CommandFlags.NoRedirect);
            var wait = server.ExecuteAsync(database, "WAIT", [replicas, waitMs], CommandFlags.DemandMaster);
            RedisResult reply;
            try
            {
                reply = await eval.ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (attempt == 0 && ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                await Task.WhenAny(wait).ConfigureAwait(false);
                await server.ScriptLoadAsync(script.Text, CommandFlags.DemandMaster).ConfigureAwait(false);
                continue;
            }
            catch (Exception) when (!wait.IsCompleted)
            {
                _ = wait.ContinueWith(static t => t.Exception, TaskScheduler.Default); // observed: the pair failed as a whole
                throw;
            }

            return (reply, RedisReply.Int64(await wait.ConfigureAwait(false), "WAIT"));
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
                "the write stands on the master and may yet replicate, or be lost if the master fails over now.")
            {
                StoreResponded = true,
            };
        }
    }

    [LoggerMessage(EventId = 3120, EventName = "RedisStoreWaitShortfall", Level = LogLevel.Warning,
        Message = "Redis {Operation} acknowledged by {Acknowledged} of {Required} replicas within {WaitMs} ms; policy {Policy}.")]
    private static partial void LogWaitShortfall(ILogger logger, string operation, long acknowledged, int required, long waitMs, RedisWaitFailurePolicy policy);
}
