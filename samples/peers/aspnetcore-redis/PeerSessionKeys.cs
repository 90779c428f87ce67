namespace AspNetCoreRedisPeer;

/// <summary>The names this application keeps in <c>HttpContext.Session</c>, and its RedisCache key prefix.</summary>
public static class PeerSessionKeys
{
    /// <summary>RedisCache's <c>InstanceName</c>: every session is the Redis hash <c>Festa:&lt;session key&gt;</c>.</summary>
    public const string InstanceName = "Festa:";

    /// <summary>The signed-in user's name; absent for an anonymous session.</summary>
    public const string Username = "username";

    /// <summary>When the user signed in (round-trip format): ASP.NET Core Session keeps no creation time of its own.</summary>
    public const string CreatedAt = "createdAt";

    /// <summary>The counter of <c>POST /counter</c>.</summary>
    public const string Counter = "counter";

    /// <summary>The wishlist: a JSON array of event ids.</summary>
    public const string Wishlist = "wishlist";
}
