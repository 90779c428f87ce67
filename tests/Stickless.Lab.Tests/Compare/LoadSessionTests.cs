using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Compare;

/// <summary>The counter ledger that turns answers and a final read into lost increments (pure logic).</summary>
public sealed class LoadSessionTests
{
    [Fact]
    public void LostIncrements_EveryIncrementKept_IsZero()
    {
        var session = new LoadSession();
        session.ResetCounter(1);
        for (var value = 2; value <= 11; value++)
        {
            Assert.False(session.Acknowledge(value));
        }

        // The final increment answers 12: the counter held 11 = 1 + 10 acknowledged.
        Assert.Equal(0, session.LostIncrements(12));
    }

    [Fact]
    public void LostIncrements_OverlappingWritesKeptOne_CountsTheOthers()
    {
        // Three requests read 5 and all answered 6: last write wins, two increments are gone.
        var session = new LoadSession();
        session.ResetCounter(5);
        session.Acknowledge(6);
        session.Acknowledge(6);
        session.Acknowledge(6);

        Assert.Equal(2, session.LostIncrements(7));
    }

    [Fact]
    public void LostIncrements_UnansweredIncrementCommitted_NeverNegative()
    {
        // An increment whose answer was lost was committed all the same: the counter is ahead of the ledger.
        var session = new LoadSession();
        session.ResetCounter(1);
        session.Acknowledge(2);

        Assert.Equal(0, session.LostIncrements(10));
    }

    [Fact]
    public void Acknowledge_ValueOneOnACountedSession_IsASessionLost()
    {
        var session = new LoadSession();
        session.ResetCounter(4);

        Assert.True(session.Acknowledge(1)); // why: a brand-new session answered; the old one is gone
        Assert.False(session.Acknowledge(2));
        Assert.Equal(0, session.LostIncrements(3)); // why: counting starts again with the new session
    }
}
