using System.Security.Cryptography;
using StackExchange.Redis;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    // A sweep reports at most this many batches before the next tick.
    private const int SweepRounds = 10;

    // Identifies this store instance as the sweeper lock's holder (diagnostics only: the lock just expires).
    private readonly string _sweeperToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private ITimer? _sweepTimer;
    private int _sweeping;
    private Task _sweep = Task.CompletedTask;

    private void StartSweeper()
    {
        if (_options.SweepInterval > TimeSpan.Zero)
        {
            _sweepTimer = _timeProvider.CreateTimer(static state => ((RedisSessionStore)state!).OnSweepTick(), this, _options.SweepInterval, _options.SweepInterval);
        }
    }

    private void OnSweepTick()
    {
        if (Volatile.Read(ref _disposed) == 1 || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        _sweep = SweepAsync();
    }

    /// <summary>
    /// One sweep, on the node that wins the lock (SET NX PX, one sweep interval long): reports sessions Redis has
    /// expired as <see cref="SessionEventKind.Expired"/> (published on the channel, so every node hears them) and
    /// prunes them from the indexes. Each step is a store call of its own (bounded by the operation timeout).
    /// </summary>
    /// <returns>The number of expired sessions reported, or -1 when another node holds the lock.</returns>
    internal async Task<long> SweepAsync()
    {
        var token = _disposing.Token;
        try
        {
            bool cluster;
            using (var call = StartCall(token))
            {
                var link = await ConnectedAsync(call).ConfigureAwait(false);
                cluster = link.IsCluster == true;
                var interval = TimeSpan.FromMilliseconds(Math.Max(1, RedisArgs.Milliseconds(_options.SweepInterval)));
                var locked = await RunAsync(call, "SET", static (link, state) => link.Database.StringSetAsync(state.key, state.token, state.interval, When.NotExists, CommandFlags.DemandMaster), (key: _keys.SweepLock, token: (RedisValue)_sweeperToken, interval)).ConfigureAwait(false);
                if (!locked)
                {
                    return -1;
                }
            }

            var total = cluster
                ? await SweepClusterAsync(token).ConfigureAwait(false) // RedisSessionStore.ClusterSweeper.cs
                : await SweepStandaloneAsync(token).ConfigureAwait(false);
            if (total > 0)
            {
                LogSwept(_logger, total);
            }

            return total;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex) when (ex is SessionStoreUnavailableException or RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            LogSweepFailed(_logger, ex);
            return 0;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private async Task<long> SweepStandaloneAsync(CancellationToken token)
    {
        var channel = _options.PublishEvents ? (RedisValue)_keys.ChannelName : RedisArgs.Empty;
        long total = 0;
        for (var round = 0; round < SweepRounds; round++)
        {
            using var call = StartCall(token);
            var due = RedisReply.Items(await EvalAsync(call, RedisSessionScripts.Due, [_keys.Expiry], [_options.SweepBatchSize]).ConfigureAwait(false), "due");
            if (due.Length <= 1)
            {
                break;
            }

            // Every key the sweep touches is declared: each member's session hash and its user's index.
            var keys = new RedisKey[1 + (2 * (due.Length - 1))];
            var args = new RedisValue[due.Length];
            keys[0] = _keys.Expiry;
            args[0] = channel;
            for (var i = 1; i < due.Length; i++)
            {
                var member = RedisReply.String(due[i], "due member") ?? "";
                var (id, principal) = SplitMember(member);
                keys[(2 * i) - 1] = _keys.Session(id);
                keys[2 * i] = principal.Length > 0 ? _keys.User(principal) : _keys.Session(id);
                args[i] = member;
            }

            var swept = RedisReply.Items(await EvalAsync(call, RedisSessionScripts.Sweep, keys, args).ConfigureAwait(false), "sweep");
            if (swept.Length != 2)
            {
                throw Malformed("sweep expected {expired, alive}");
            }

            total += RedisReply.Int64(swept[0], "expired");
            if (due.Length - 1 < _options.SweepBatchSize)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>An expiry index member <c>id</c> or <c>id:principal</c> (ids never contain a colon).</summary>
    private static (string Id, string Principal) SplitMember(string member)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (member, "") : (member[..colon], member[(colon + 1)..]);
    }
}
