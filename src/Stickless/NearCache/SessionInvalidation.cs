namespace Stickless;

/// <summary>Constants of the invalidation contract (<see cref="ISessionInvalidationListener"/>).</summary>
public static class SessionInvalidation
{
    /// <summary>The sequence of an invalidation that kills the id for good (delete, expiry, rotation away): no copy survives it.</summary>
    public const long Dead = long.MaxValue;
}
