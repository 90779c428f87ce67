namespace Stickless.AspNetCore;

/// <summary>One of the signed-in user's sessions, as <see cref="ISticklessSession.ListSessionsAsync"/> shows it.</summary>
/// <param name="Handle">An opaque digest of the id (<see cref="SessionHandle.For"/>), safe to show and to pass to <see cref="ISticklessSession.RevokeAsync"/>; never the id.</param>
/// <param name="CreatedAt">When the session was created.</param>
/// <param name="LastAccessedAt">When it was last touched.</param>
/// <param name="ExpiresAt">When it expires unless touched again.</param>
/// <param name="IsCurrent">True for the session of the request that asked.</param>
public sealed record SessionInfo(string Handle, DateTimeOffset CreatedAt, DateTimeOffset LastAccessedAt, DateTimeOffset ExpiresAt, bool IsCurrent);
