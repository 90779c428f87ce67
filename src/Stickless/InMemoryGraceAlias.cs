namespace Stickless;

/// <summary>An old id that keeps reaching a renamed session until <paramref name="Until"/>.</summary>
/// <param name="TargetId">The id the session now has.</param>
/// <param name="Until">The instant (store clock) the alias dies.</param>
internal sealed record InMemoryGraceAlias(string TargetId, DateTimeOffset Until);
