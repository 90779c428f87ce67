namespace Stickless;

/// <summary>
/// A store with background work (expiry sweeps, probes, heartbeats, subscriptions). The selected store is started with
/// the host and stopped with it (by a hosted service that <c>AddStickless</c> registers); nothing runs in the background
/// before <see cref="StartAsync"/> or after <see cref="StopAsync"/>.
/// </summary>
/// <remarks>
/// A store must serve calls whether or not it was started: starting adds only the background work. A loop that fails
/// later logs its failure when it happens and keeps going (or stops) as the store documents.
/// </remarks>
public interface ISessionStoreLifecycle
{
    /// <summary>Starts the background work. Called once, as the host starts.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the background work and waits for it, within <paramref name="cancellationToken"/>. Called once, as the host stops.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
