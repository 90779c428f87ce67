namespace Stickless;

/// <summary>Parameters of <see cref="ISessionStore.LoadAsync"/>: the caller's clock and the touch throttle.</summary>
/// <param name="Now">The instant of the load, from the caller's <see cref="TimeProvider"/>.</param>
/// <param name="TouchAfter">
/// The load also touches the session (moves its idle expiry, in the same round trip) when at least this
/// much time has passed since the last touch; otherwise a load writes nothing.
/// </param>
public readonly record struct SessionLoadOptions(DateTimeOffset Now, TimeSpan TouchAfter);
