namespace Stickless.Redis.Connections;

/// <summary>Exponential backoff with jitter between reconnect attempts.</summary>
internal static class ReconnectBackoff
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The pause before retry number <paramref name="attempt"/> (0-based): 50 ms doubling up to
    /// <paramref name="max"/>, then a random point in its upper half, so many clients do not reconnect in step.
    /// </summary>
    public static TimeSpan GetDelay(int attempt, TimeSpan max, Random random)
    {
        var ceiling = Math.Min(max.Ticks, Initial.Ticks << Math.Min(attempt, 20));
        return TimeSpan.FromTicks((ceiling / 2) + (long)(random.NextDouble() * (ceiling / 2)));
    }
}
