namespace Stickless.Tests;

public sealed class SessionHandleTests
{
    [Fact]
    public void For_SameId_SameHandle()
    {
        var id = SessionIds.Create();

        Assert.Equal(SessionHandle.For(id), SessionHandle.For(id));
    }

    [Fact]
    public void For_DifferentIds_DifferentHandles()
    {
        var handles = Enumerable.Range(0, 1_000).Select(_ => SessionHandle.For(SessionIds.Create())).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(1_000, handles.Count);
    }

    [Fact]
    public void For_AnyId_Is22CharactersAndDoesNotContainTheId()
    {
        var id = SessionIds.Create();
        var handle = SessionHandle.For(id);

        Assert.Equal(22, handle.Length);
        Assert.DoesNotContain(handle, id, StringComparison.Ordinal);
        Assert.DoesNotContain(id[..8], handle, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_OwnHandle_True()
    {
        var id = SessionIds.Create();

        Assert.True(SessionHandle.Matches(id, SessionHandle.For(id)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public void Matches_OtherHandle_False(string handle)
    {
        Assert.False(SessionHandle.Matches(SessionIds.Create(), handle));
    }

    [Fact]
    public void Matches_AnotherSessionsHandle_False()
    {
        Assert.False(SessionHandle.Matches(SessionIds.Create(), SessionHandle.For(SessionIds.Create())));
    }
}
