using System.Net;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>
/// Follows the master of one Sentinel service for the connections Stickless opens (the main one from a connection
/// string or <see cref="ConfigurationOptions"/>, and the WAIT lanes), asynchronously, instead of StackExchange.Redis's
/// Sentinel support. Those connections are plain ones to the master alone; this class tells them which master, and
/// moves them all when it changes.
/// </summary>
/// <remarks>
/// Why not StackExchange.Redis's own Sentinel connection (3.4.35): it follows a failover synchronously. Every
/// managed multiplexer whose master connection fails runs <c>SwitchPrimary</c> once a second on a timer, and again
/// on every restored connection and every <c>+switch-master</c>; each run asks the sentinels with synchronous calls
/// fanned out by PLINQ and then blocks on <c>ReconfigureAsync(...).Wait()</c>. All of it holds thread-pool threads
/// that wait for replies which only thread-pool threads can read. With the main connection and four WAIT lanes
/// (five managed multiplexers, five Sentinel multiplexers) a node on 2 cores had 16 worker threads blocked and 150
/// work items queued, pings to a live server took 6.5 s, and service resumed 7–14 s after a master was killed
/// (stack dumps and logs in the README, "Failover, measured with the lab"). Here nothing blocks: the sentinels are
/// asked with async calls, and only while a master is suspected lost.
/// <para>
/// The master changes when (1) a sentinel publishes <c>+switch-master</c> for the service (one subscription, on the
/// Sentinel multiplexer), or (2) a connection reported the master failed or refusing (<see cref="Suspect"/>) and a
/// sentinel, asked every 100 ms, names another master. The second is what resumes service early: Sentinel's leader
/// names the promoted replica as soon as it is promoted, about a second before <c>+switch-master</c> (failover end).
/// Asking stops when the suspected master answers again (<see cref="Confirm"/>).
/// </para>
/// </remarks>
internal sealed partial class RedisSentinelFollower : IAsyncDisposable
{
    // While a master is suspected: ask this often (a failover takes down-after plus about a second) for this long,
    // then once a second, so that a master down for good with no failover costs little.
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SlowPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FastPollFor = TimeSpan.FromSeconds(30);

    private readonly ConfigurationOptions _sentinelOptions;
    private readonly ConfigurationOptions _nodeOptions;
    private readonly TimeSpan _askTimeout;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposing = new();
    private EndPoint? _master;
    private EndPoint? _suspected;
    private Task _poll = Task.CompletedTask;
    private bool _disposed;

    /// <param name="options">
    /// Options naming the sentinels and <see cref="ConfigurationOptions.ServiceName"/>, with the timeouts the store sets
    /// on connections it opens; the data nodes are reached with the same credentials and TLS settings.
    /// </param>
    /// <param name="askTimeout">How long one question to the sentinels may take.</param>
    /// <param name="logger">Logs master changes and failures to ask.</param>
    /// <param name="time">Poll delays.</param>
    public RedisSentinelFollower(ConfigurationOptions options, TimeSpan askTimeout, ILogger logger, TimeProvider time)
    {
        ServiceName = options.ServiceName ?? throw new ArgumentException("Sentinel options need a ServiceName.", nameof(options));
        _askTimeout = askTimeout;
        _logger = logger;
        _time = time;

        // What StackExchange.Redis's own Sentinel connect does: the sentinels with their own credentials, if any.
        _sentinelOptions = options.Clone();
        _sentinelOptions.User = options.SentinelUser;
        _sentinelOptions.Password = options.SentinelPassword;

        _nodeOptions = options.Clone();
        _nodeOptions.ServiceName = null;
        _nodeOptions.EndPoints.Clear();
        Sentinels = string.Join(",", options.EndPoints.Select(EndPointCollection.ToString));
    }

    /// <summary>Raised (on whatever thread learnt it; handlers must not block) when the master changes.</summary>
    public event Action<EndPoint>? MasterChanged;

    public string ServiceName { get; }

    /// <summary>The sentinels, for logs.</summary>
    public string Sentinels { get; }

    /// <summary>The master as last learnt; null before the sentinels were first asked.</summary>
    public EndPoint? Master => Volatile.Read(ref _master);

    /// <summary>Options for a plain connection to <paramref name="master"/> alone: no service name, no replicas.</summary>
    public ConfigurationOptions OptionsFor(EndPoint master)
    {
        var options = _nodeOptions.Clone();
        options.EndPoints.Add(master);
        return options;
    }

    /// <summary>The master; asks the sentinels first when none is known yet.</summary>
    /// <exception cref="RedisConnectionException">No sentinel answered with a master (nothing was sent to a data node).</exception>
    public async Task<EndPoint> MasterAsync(CancellationToken cancellationToken)
    {
        if (Master is { } known)
        {
            return known;
        }

        var answers = await AskAsync(cancellationToken).ConfigureAwait(false);
        var named = MostNamed(answers, except: null)
            ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, $"No sentinel of {Sentinels} named a master for '{ServiceName}'.", null, CommandStatus.WaitingToBeSent);
        lock (_gate)
        {
            _master ??= named;
            return _master;
        }
    }

    /// <summary>
    /// A connection to <paramref name="master"/> failed, timed out or found a replica there: from now on the sentinels
    /// are asked until one names another master (which then becomes the master) or <see cref="Confirm"/> is called.
    /// Cheap and idempotent: every failed call may report it.
    /// </summary>
    public void Suspect(EndPoint master, string reason)
    {
        lock (_gate)
        {
            if (_disposed || _suspected is not null || !SameEndPoint(master, _master))
            {
                return;
            }

            _suspected = _master;
            _poll = PollAsync(_master!);
        }

        LogSuspected(_logger, master, ServiceName, reason, (long)FastPoll.TotalMilliseconds);
    }

    /// <summary><paramref name="master"/> answered as a master again: stop asking the sentinels.</summary>
    public void Confirm(EndPoint master)
    {
        if (Volatile.Read(ref _suspected) is null)
        {
            return;
        }

        lock (_gate)
        {
            if (SameEndPoint(master, _suspected))
            {
                _suspected = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task poll;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            poll = _poll;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await poll.ConfigureAwait(false);
        await CloseSentinelsAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    private async Task PollAsync(EndPoint suspected)
    {
        await Task.Yield(); // never run the first question on the caller's thread (an event handler of StackExchange.Redis)
        var started = _time.GetTimestamp();
        var token = _disposing.Token;
        try
        {
            while (SameEndPoint(Volatile.Read(ref _suspected), suspected))
            {
                try
                {
                    if (MostNamed(await AskAsync(token).ConfigureAwait(false), except: suspected) is { } other)
                    {
                        Move(other, "named while the previous master was failing");
                        return;
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException && !token.IsCancellationRequested)
                {
                    LogAskFailed(_logger, Sentinels, ServiceName, ex);
                }

                await Task.Delay(_time.GetElapsedTime(started) < FastPollFor ? FastPoll : SlowPoll, _time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Makes <paramref name="master"/> the master (unless it is already) and tells every connection.</summary>
    private void Move(EndPoint master, string reason)
    {
        EndPoint? previous;
        lock (_gate)
        {
            if (_disposed || SameEndPoint(master, _master))
            {
                _suspected = null;
                return;
            }

            previous = _master;
            _master = master;
            _suspected = null;
        }

        LogMoved(_logger, ServiceName, master, previous, reason);
        MasterChanged?.Invoke(master);
    }

    /// <summary>The endpoint most sentinels named, leaving out <paramref name="except"/>; null when none did.</summary>
    private static EndPoint? MostNamed(IReadOnlyList<EndPoint> answers, EndPoint? except) =>
        answers
            .Where(a => !SameEndPoint(a, except))
            .GroupBy(EndPointCollection.ToString, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .Select(g => g.First())
            .FirstOrDefault();

    internal static bool SameEndPoint(EndPoint? a, EndPoint? b) =>
        a is not null && b is not null && string.Equals(EndPointCollection.ToString(a), EndPointCollection.ToString(b), StringComparison.OrdinalIgnoreCase);
}
