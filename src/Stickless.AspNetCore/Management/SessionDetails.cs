namespace Stickless.AspNetCore;

/// <summary>One session as <see cref="ISessionManager.InspectAsync"/> shows it: what an admin may see, never the id or the values.</summary>
/// <param name="Handle">The session's handle.</param>
/// <param name="Principal">The user bound to it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastAccessedAt">When it was last touched.</param>
/// <param name="ExpiresAt">When it expires unless touched again.</param>
/// <param name="AbsoluteExpiry">When it expires whatever its activity.</param>
/// <param name="AttributeSizes">The size in bytes of each attribute, by name.</param>
/// <param name="IsAuthenticationTicket">True when it holds a cookie-authentication ticket rather than a browsing session.</param>
public sealed record SessionDetails(
    string Handle,
    string? Principal,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastAccessedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset AbsoluteExpiry,
    IReadOnlyDictionary<string, int> AttributeSizes,
    bool IsAuthenticationTicket);
