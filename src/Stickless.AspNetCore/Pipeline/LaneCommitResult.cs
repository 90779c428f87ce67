namespace Stickless.AspNetCore;

/// <summary>
/// What one request's commit through its session's lane came to: the store's answer as it concerns this request, and,
/// when its increments were summed with other requests' into one store call, the value each of its counters took at
/// its own increment.
/// </summary>
/// <param name="Result">The store's answer, narrowed to this request's attributes.</param>
/// <param name="OwnIncrements">For a counter incremented together with other requests: the value after this request's increment; null otherwise.</param>
internal readonly record struct LaneCommitResult(CommitResult Result, IReadOnlyDictionary<string, long>? OwnIncrements = null);
