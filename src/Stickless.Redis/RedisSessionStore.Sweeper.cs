using System.Security.Cryptography;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    private static readonly byte[] Nx = "NX"u8.ToArray();
    private static readonly byte[] Px = "PX"u8.ToArray();

    // Identifies this store instance as the sweeper lock's holder (diagnostics only: the lock just expires).
    private readonly byte[] _sweeperToken = RedisArgs.Utf8(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
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
        if (_disposed || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        _sweep = SweepAsync();
    }

    /// <summary>
    /// One sweep, on the node that wins the lock (SET NX PX, one sweep interval long): reports sessions
    /// Redis has expired as <see cref="SessionEventKind.Expired"/> (published on the channel, so every node
    /// hears them) and prunes them from the indexes.
    /// </summary>
    /// <returns>The number of expired sessions reported, or -1 when another node holds the lock.</returns>
    internal async Task<long> SweepAsync()
    {
        var token = _disposing.Token;
        try
        {
            var intervalMs = RedisArgs.Int(Math.Max(1, RedisArgs.Milliseconds(_options.SweepInterval)));
            var locked = await ExecuteAsync("SET", [_keys.SweepLock, _sweeperToken, Nx, Px, intervalMs], token).ConfigureAwait(false);
            if (locked.IsNull)
            {
                return -1;
            }

            if (await IsClusterAsync(token).ConfigureAwait(false))
            {
                return await SweepClusterAsync(token).ConfigureAwait(false); // RedisSessionStore.ClusterSweeper.cs
            }

            var channel = _options.PublishEvents ? _keys.Channel : RedisArgs.Empty;
            var batch = RedisArgs.Int(_options.SweepBatchSize);
            long total = 0;
            for (var round = 0; round < 10; round++)
            {
                var reply = await EvalAsync(RedisSessionScripts.Sweep, [_keys.Expiry], [_keys.SessionPrefixBytes, _keys.UserPrefix, channel, batch], token).ConfigureAwait(false);
                if (!reply.IsAggregate || reply.Count != 2)
                {
                    throw Malformed("sweep expected {expired, alive}");
                }

                var expired = reply[0].GetInt64();
                total += expired;
                if (expired + reply[1].GetInt64() < _options.SweepBatchSize)
                {
                    break;
                }
            }

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
        catch (Exception ex) when (ex is SessionStoreUnavailableException or InvalidOperationException or ObjectDisposedException)
        {
            LogSweepFailed(_logger, ex);
            return 0;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
