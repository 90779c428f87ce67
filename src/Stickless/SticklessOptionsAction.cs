namespace Stickless;

/// <summary>
/// A change to <see cref="SticklessOptions"/> that a store package makes (for example <c>UseRedis</c> selecting the Redis
/// store). Applied after the configuration section and the <c>AddStickless</c> delegate, in registration order, whatever
/// options type the application registered.
/// </summary>
internal sealed record SticklessOptionsAction(Action<SticklessOptions> Apply);
