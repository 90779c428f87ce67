namespace Stickless.Redis;

/// <summary>
/// One public store call's single deadline (<see cref="RedisSessionStoreOptions.OperationTimeout"/>): every
/// command, retry, alias hop and Cluster step of the call waits on <see cref="Token"/>, so the call as a whole
/// ends within the timeout. <see cref="Caller"/> tells the caller's cancellation from the timeout.
/// </summary>
internal sealed class RedisStoreCall : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenRegistration _link;

    public RedisStoreCall(TimeSpan timeout, TimeProvider time, CancellationToken caller)
    {
        Caller = caller;
        _timeout = new CancellationTokenSource(timeout, time);
        _link = caller.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _timeout);
        Time = time;
        Started = time.GetTimestamp();
        Timeout = timeout;
    }

    /// <summary>Cancelled by the caller or when the call's timeout passes.</summary>
    public CancellationToken Token => _timeout.Token;

    public CancellationToken Caller { get; }

    public TimeSpan Timeout { get; }

    public TimeProvider Time { get; }

    public long Started { get; }

    /// <summary>What is left of the timeout (zero when it has passed).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = Timeout - Time.GetElapsedTime(Started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>True when the timeout (not the caller) ended the call.</summary>
    public bool TimedOut => _timeout.IsCancellationRequested && !Caller.IsCancellationRequested;

    public void Dispose()
    {
        _link.Dispose();
        _timeout.Dispose();
    }
}
