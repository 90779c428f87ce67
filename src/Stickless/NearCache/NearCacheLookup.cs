namespace Stickless;

/// <summary>What a look-up in a <see cref="NearCacheSessionStore"/> found (the <c>stickless.nearcache.result</c> tag).</summary>
internal enum NearCacheLookup
{
    /// <summary>A fresh copy was served: no store call.</summary>
    Hit,

    /// <summary>No copy.</summary>
    Miss,

    /// <summary>A copy older than <see cref="NearCacheOptions.MaxStaleness"/>.</summary>
    Stale,

    /// <summary>A copy whose touch is due: the store must move the expiry.</summary>
    TouchDue,

    /// <summary>A copy of a session that has expired by the caller's clock.</summary>
    Expired,

    /// <summary>The invalidation channel is down: the cache is bypassed.</summary>
    Bypassed,
}
