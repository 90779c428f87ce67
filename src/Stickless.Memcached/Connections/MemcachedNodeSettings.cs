namespace Stickless.Memcached.Connections;

/// <summary>How a <see cref="MemcachedNode"/> talks to its server and decides it is down.</summary>
/// <param name="OperationTimeout">The longest one call may take, waiting for a first connection included.</param>
/// <param name="ConnectTimeout">The longest a connection attempt (socket and handshake) may take.</param>
/// <param name="ProbeInterval">How often a down node is probed (at most; probes are started by calls to it).</param>
/// <param name="MarkDownAfterTimeouts">Timeouts in a row after which the node is marked down.</param>
/// <param name="FlushOnReadmission">True to flush a node that comes back without having restarted; false trusts it (tests only).</param>
internal sealed record MemcachedNodeSettings(
    TimeSpan OperationTimeout,
    TimeSpan ConnectTimeout,
    TimeSpan ProbeInterval,
    int MarkDownAfterTimeouts = 2,
    bool FlushOnReadmission = true)
{
    /// <summary>The oldest supported server: the first with bare <c>mg</c>, opaque echoed on <c>EN</c>, working <c>md C</c> and <c>HD</c> replies.</summary>
    public static Version MinimumServerVersion { get; } = new(1, 6, 18);

    /// <summary>
    /// How long the oldest request on a connection may go unanswered before the connection is dropped: the
    /// operation timeout plus half of it (50 ms to 2 s), so that waiting callers see their own timeout first.
    /// </summary>
    public TimeSpan DeadAfter => OperationTimeout + TimeSpan.FromTicks(Math.Clamp(OperationTimeout.Ticks / 2, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(2).Ticks));
}
