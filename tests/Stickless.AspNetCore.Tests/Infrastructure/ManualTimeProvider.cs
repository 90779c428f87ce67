namespace Stickless.AspNetCore.Tests.Infrastructure;

/// <summary>A clock the test moves by hand. Timers and delays stay real (the base implementation), so nothing hangs.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
