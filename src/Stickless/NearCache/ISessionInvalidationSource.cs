namespace Stickless;

/// <summary>
/// A store that tells every node when a session changed, so that a node may keep copies of sessions in memory
/// (<see cref="NearCacheSessionStore"/>). Implemented by the stores that can: the in-memory store (in process) and the
/// Redis store (its scripts publish every change on a channel).
/// </summary>
/// <remarks>
/// The contract a near cache relies on: once <see cref="ISessionInvalidationListener.OnChannelUp"/> was called, every
/// write of a session made by any node afterwards (commit, touch, rotation, delete) reaches every listener as
/// <see cref="ISessionInvalidationListener.OnInvalidated"/>, until <see cref="ISessionInvalidationListener.OnChannelDown"/>
/// says that some may have been missed. A source that cannot vouch for its channel (a broken connection, a channel that
/// went silent for longer than the silence limit) says it is down.
/// </remarks>
public interface ISessionInvalidationSource
{
    /// <summary>
    /// Starts delivering invalidations to <paramref name="listener"/>. The channel starts down: the listener hears
    /// <see cref="ISessionInvalidationListener.OnChannelUp"/> once the source has proven it receives what is published.
    /// </summary>
    /// <param name="listener">Called from the source's own threads, possibly concurrently; must not block.</param>
    /// <param name="silenceLimit">
    /// How long the channel may stay unproven before the source reports it down: the source checks itself (for example by
    /// receiving its own probes) at least this often.
    /// </param>
    /// <returns>Stops the delivery when disposed.</returns>
    IDisposable SubscribeInvalidations(ISessionInvalidationListener listener, TimeSpan silenceLimit);

    /// <summary>
    /// Completes once every invalidation published before the call (by any node) has been delivered to this source's
    /// listeners: a barrier for callers that must read their own writes made through another node.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The channel is down or did not deliver within the store's bound.</exception>
    ValueTask SynchronizeInvalidationsAsync(CancellationToken cancellationToken);
}
