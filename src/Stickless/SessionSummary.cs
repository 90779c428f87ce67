namespace Stickless;

/// <summary>One of a principal's sessions, as <see cref="ISessionStore.FindByPrincipalAsync"/> lists it.</summary>
/// <param name="Id">The session id. Never show it to a user: show <see cref="SessionHandle.For"/> instead.</param>
/// <param name="CreatedAt">When the session was created.</param>
/// <param name="LastAccessedAt">When it was last touched.</param>
/// <param name="ExpiresAt">When it expires unless touched again.</param>
public sealed record SessionSummary(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastAccessedAt, DateTimeOffset ExpiresAt);
