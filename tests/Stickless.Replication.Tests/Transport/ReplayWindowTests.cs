using Stickless.Replication.Transport;

namespace Stickless.Replication.Tests.Transport;

public sealed class ReplayWindowTests
{
    [Fact]
    public void TryAccept_OutOfOrderWithinWindow_AcceptsEachOnce()
    {
        var window = new ReplayWindow();

        Assert.True(window.TryAccept(5));
        Assert.True(window.TryAccept(3));
        Assert.True(window.TryAccept(4));
        Assert.False(window.TryAccept(3));
        Assert.False(window.TryAccept(5));
    }

    [Fact]
    public void TryAccept_OlderThanWindowOrZero_Refuses()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(ReplayWindow.Size + 10));

        Assert.False(window.TryAccept(5));
        Assert.False(window.TryAccept(0));
        Assert.True(window.TryAccept(ReplayWindow.Size + 9));
    }
}
