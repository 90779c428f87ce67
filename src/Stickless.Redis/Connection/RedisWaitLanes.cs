using Microsoft.Extensions.Logging;

namespace Stickless.Redis.Connection;

/// <summary>
/// The connections of their own that writes with <c>WAIT</c> use (<see cref="RedisSessionStoreOptions.WaitConnections"/>
/// multiplexers Stickless opens, with the main connection's server and credentials). <c>WAIT</c> blocks the
/// connection it is sent on until enough replicas answer or its timeout passes, and StackExchange.Redis
/// shares one connection per server among all callers, so a <c>WAIT</c> on the application's connection would
/// stall every read behind it. Each lane is opened on first use; writes take the lanes in turn.
/// </summary>
internal sealed class RedisWaitLanes : IAsyncDisposable
{
    private readonly RedisConnection _main;
    private readonly RedisSessionStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RedisConnection?[] _lanes;
    private readonly Lock _gate = new();
    private int _next = -1;
    private bool _disposed;

    public RedisWaitLanes(RedisConnection main, RedisSessionStoreOptions options, ILogger logger, TimeProvider time)
    {
        _main = main;
        _options = options;
        _logger = logger;
        _time = time;
        _lanes = new RedisConnection?[options.WaitConnections];
    }

    /// <summary>The next lane (round robin); all lanes are opened together, on the first call.</summary>
    public async ValueTask<RedisConnection> NextAsync(CancellationToken cancellationToken)
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_lanes.Length);
        if (Volatile.Read(ref _lanes[index]) is { } lane)
        {
            return lane;
        }

        Open(await _main.GetAsync(cancellationToken).ConfigureAwait(false));
        return Volatile.Read(ref _lanes[index])!;
    }

    /// <summary>
    /// Opens every lane now, in the background, once the main connection is up: StackExchange.Redis's connect
    /// waits for every node, so a lane first opened while a replica hangs would cost a write its whole timeout.
    /// </summary>
    public void Open(RedisLink main)
    {
        if (Volatile.Read(ref _lanes[^1]) is not null)
        {
            return;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var index = 0; index < _lanes.Length; index++)
            {
                if (_lanes[index] is null)
                {
                    var options = _main.Source.OptionsForOwnConnection(main.Multiplexer);
                    var source = _main.Source.ForOwnConnection(options, $"WAIT lane {index + 1} of {_lanes.Length}");
                    var lane = new RedisConnection(source, _options, _logger, _time);
                    _ = lane.GetAsync(CancellationToken.None).AsTask().ContinueWith(static t => t.Exception, TaskScheduler.Default); // failures are logged by the lane
                    Volatile.Write(ref _lanes[index], lane);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        RedisConnection?[] lanes;
        lock (_gate)
        {
            _disposed = true;
            lanes = [.. _lanes];
        }

        foreach (var lane in lanes)
        {
            if (lane is not null)
            {
                await lane.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
