using Stickless.Redis.Connections;

namespace Stickless.Redis.Tests.Connections;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void GetDelay_GrowingAttempts_DoublesThenCapsWithJitterInUpperHalf()
    {
        var random = new Random(42);
        var max = TimeSpan.FromSeconds(2);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(max.Ticks, TimeSpan.FromMilliseconds(50).Ticks << Math.Min(attempt, 20)));
            var delay = ReconnectBackoff.GetDelay(attempt, max, random);

            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }
}
