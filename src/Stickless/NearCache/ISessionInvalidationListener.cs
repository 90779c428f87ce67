namespace Stickless;

/// <summary>Receives what an <see cref="ISessionInvalidationSource"/> delivers.</summary>
public interface ISessionInvalidationListener
{
    /// <summary>A session was written by some node.</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="sequence">
    /// The session's write counter after the write (<see cref="SessionRecord.Sequence"/>): a copy at this counter or later
    /// already holds the change. <see cref="SessionInvalidation.Dead"/> when the id is dead for good (deleted, expired,
    /// rotated away).
    /// </param>
    void OnInvalidated(string sessionId, long sequence);

    /// <summary>From now on every write is delivered (until <see cref="OnChannelDown"/>).</summary>
    void OnChannelUp();

    /// <summary>Writes may have been (or may be) missed: copies can no longer be trusted.</summary>
    void OnChannelDown();
}
