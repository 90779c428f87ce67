namespace Festa.Sessions;

/// <summary>One of the signed-in user's sessions as <c>GET /sessions</c> shows it.</summary>
/// <param name="Handle">An opaque digest of the id, never the id itself.</param>
/// <param name="CreatedAt">When the session was created.</param>
/// <param name="LastAccessedAt">When it was last used.</param>
/// <param name="ExpiresAt">When it expires unless used again.</param>
/// <param name="Current">True for the session that made this request.</param>
public sealed record SessionView(string Handle, DateTimeOffset CreatedAt, DateTimeOffset LastAccessedAt, DateTimeOffset ExpiresAt, bool Current);
