namespace Stickless.Lab.Workload;

/// <summary>What one observation added to the loss counts.</summary>
/// <param name="SessionsLost">A signed-in user was answered as anonymous.</param>
/// <param name="StaleReads">A read disagreed with the shadow model.</param>
/// <param name="LostUpdates">An acknowledged write's effect is gone for good.</param>
internal readonly record struct ShadowVerdict(int SessionsLost, int StaleReads, int LostUpdates)
{
    /// <summary>Nothing was lost.</summary>
    public static ShadowVerdict None => default;

    /// <summary>True when nothing was lost.</summary>
    public bool IsClean => SessionsLost == 0 && StaleReads == 0 && LostUpdates == 0;
}
