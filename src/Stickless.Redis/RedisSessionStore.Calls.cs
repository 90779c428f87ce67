using StackExchange.Redis;
using Stickless.Redis.Connection;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    // Between retries of a command Redis provably did not run (no master during a failover, READONLY, LOADING…).
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(200);

    private RedisStoreCall StartCall(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        cancellationToken.ThrowIfCancellationRequested();
        return new RedisStoreCall(_options.OperationTimeout, _timeProvider, cancellationToken);
    }

    /// <summary>
    /// The link, once a server is connected and so its kind (Cluster or not) is known; while none is, waits
    /// (retrying like a command that was never sent) within the call's timeout.
    /// </summary>
    private async ValueTask<RedisLink> ConnectedAsync(RedisStoreCall call)
    {
        var link = await _connection.GetAsync(call.Token).ConfigureAwait(false);
        _lanes?.Open(link);
        for (var attempt = 0; ; attempt++)
        {
            if (link.Incompatible is { } reason)
            {
                throw new SessionStoreUnavailableException(reason);
            }

            if (link.IsCluster is not null)
            {
                return link;
            }

            await DelayBeforeRetryAsync(call, attempt, "connect").ConfigureAwait(false);
            link = await _connection.GetAsync(call.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one script: EVALSHA; on NOSCRIPT (a server that lacks it: new, restarted, flushed) once more with the text, which loads it there.</summary>
    private Task<RedisResult> EvalAsync(RedisStoreCall call, RedisSessionScript script, RedisKey[] keys, RedisValue[] args) =>
        RunAsync(call, script.Name, static (link, state) => EvalShaAsync(link, state.script, state.keys, state.args), (script, keys, args));

    // By SHA rather than by text: StackExchange.Redis's text overload looks the text up in a per-server cache on every
    // call (hashing and comparing some 10 KB of Lua), which measurably cost throughput. NOSCRIPT means the script did not
    // run, so loading it and sending it again is safe.
    private static async Task<RedisResult> EvalShaAsync(RedisLink link, RedisSessionScript script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await link.Database.ScriptEvaluateAsync(script.Hash, keys, args, CommandFlags.DemandMaster).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // The text overload routes like the call itself and sends SCRIPT LOAD and the script together.
            return await link.Database.ScriptEvaluateAsync(script.Text, keys, args, CommandFlags.DemandMaster).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends one command on the current link and waits for it within the call's timeout. A failure that proves
    /// the command never ran (see <see cref="RedisRetryRule"/>) is retried after a short, growing delay while
    /// time remains; any other failure is thrown as it is (the public method maps it).
    /// </summary>
    private Task<TResult> RunAsync<TState, TResult>(RedisStoreCall call, string what, Func<RedisLink, TState, Task<TResult>> send, TState state) =>
        RunAsync(call, _connection, what, send, state);

    /// <summary><see cref="RunAsync{TState, TResult}(RedisStoreCall, string, Func{RedisLink, TState, Task{TResult}}, TState)"/> on another connection (a WAIT lane).</summary>
    private async Task<TResult> RunAsync<TState, TResult>(RedisStoreCall call, RedisConnection connection, string what, Func<RedisLink, TState, Task<TResult>> send, TState state)
    {
        for (var attempt = 0; ; attempt++)
        {
            var link = await connection.GetAsync(call.Token).ConfigureAwait(false);
            if (link.Incompatible is { } reason)
            {
                throw new SessionStoreUnavailableException(reason);
            }

            Exception failure;
            try
            {
                var result = await send(link, state).WaitAsync(call.Token).ConfigureAwait(false);
                link.OnReply();
                return result;
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException or OperationCanceledException && !call.Caller.IsCancellationRequested)
            {
                failure = ex;
            }
            catch (ObjectDisposedException) when (connection.Current != link && Volatile.Read(ref _disposed) == 0)
            {
                // The link was replaced (and closed) while this call was about to use it: nothing was sent on it.
                await DelayBeforeRetryAsync(call, attempt, what).ConfigureAwait(false);
                continue;
            }

            if (failure is RedisTimeoutException || call.TimedOut)
            {
                connection.OnTimedOut(link, call.Started);
                throw failure;
            }

            if (!RedisRetryRule.ProvesNotApplied(failure))
            {
                throw failure;
            }

            await DelayBeforeRetryAsync(call, attempt, what).ConfigureAwait(false);
        }
    }

    private async Task DelayBeforeRetryAsync(RedisStoreCall call, int attempt, string what)
    {
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(attempt, 8)));
        if (call.Remaining <= delay)
        {
            throw new SessionStoreUnavailableException(
                $"Redis could not take the {what} within {_options.OperationTimeout.TotalMilliseconds:0} ms (no server connected, or it refused before running it; nothing was applied).");
        }

        _metrics.Retried(what);
        await Task.Delay(delay, _timeProvider, call.Token).ConfigureAwait(false);
    }

    /// <summary>True for failures of the store (not of the caller): everything but the caller's own cancellation and programming errors.</summary>
    private static bool IsStoreFailure(Exception ex, RedisStoreCall call) => ex switch
    {
        OperationCanceledException => !call.Caller.IsCancellationRequested,
        SessionStoreUnavailableException => false,
        ObjectDisposedException => false,
        RedisException or RedisTimeoutException or TimeoutException => true,
        _ => false,
    };

    private SessionStoreUnavailableException Unavailable(Exception ex, RedisStoreCall call)
    {
        var message = ex is OperationCanceledException or TimeoutException
            ? $"Redis did not answer within {call.Timeout.TotalMilliseconds:0} ms ({_connection.Source.Description})."
            : $"Redis failed: {ex.Message}";
        LogUnavailable(_logger, message, ex);
        return new SessionStoreUnavailableException(message, ex);
    }

    private static SessionStoreUnavailableException Malformed(string what) => RedisReply.Malformed(what);
}
