namespace Stickless;

/// <summary>What a <see cref="NearCacheSessionStore"/> holds and has done since it was created.</summary>
/// <param name="Copies">Sessions it holds a copy of.</param>
/// <param name="Bytes">Their estimated size.</param>
/// <param name="ChannelUp">True while the invalidation channel is up (copies are served).</param>
/// <param name="Hits">Loads answered from a copy.</param>
/// <param name="Misses">Loads passed to the store.</param>
/// <param name="Invalidations">Invalidations received from the store.</param>
public readonly record struct NearCacheStatistics(int Copies, long Bytes, bool ChannelUp, long Hits, long Misses, long Invalidations);
