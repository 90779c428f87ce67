namespace Stickless.Tests;

public sealed class InMemorySessionStoreLoadTests : StoreTestBase
{
    [Fact]
    public async Task Load_AtTouchThreshold_TouchesOnce()
    {
        var id = await CreateAsync();
        Time.Advance(TouchAfter);

        var first = await Store.LoadAsync(id, LoadOptions, Ct);
        var second = await Store.LoadAsync(id, LoadOptions, Ct);

        Assert.True(first!.Touched);
        Assert.Equal(Time.GetUtcNow(), first.LastAccessedAt);
        Assert.False(second!.Touched);
        Assert.Equal(Time.GetUtcNow(), second.LastAccessedAt);
    }

    [Fact]
    public async Task Load_ReadOnly_ReturnsSnapshotUnaffectedByLaterCommits()
    {
        var id = await CreateAsync(null, ("a", "1"));

        var before = await LoadAsync(id);
        await SetAsync(id, "a", "2");
        await SetAsync(id, "b", "3");

        Assert.Equal("1", Text(before!.Attributes["a"]));
        Assert.False(before.Attributes.ContainsKey("b"));
    }

    [Fact]
    public async Task Load_Snapshot_CannotBeMutatedThroughACast()
    {
        var id = await CreateAsync(null, ("a", "1"));
        var record = await LoadAsync(id);

        var asDictionary = Assert.IsAssignableFrom<IDictionary<string, SessionAttribute>>(record!.Attributes);

        Assert.ThrowsAny<NotSupportedException>(() => asDictionary["a"] = new SessionAttribute(Bytes("evil"), 99));
        Assert.Equal("1", Text((await LoadAsync(id))!.Attributes["a"]));
    }

    [Fact]
    public async Task Load_CancelledToken_Throws()
    {
        var id = await CreateAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.LoadAsync(id, LoadOptions, cts.Token));
    }

    [Fact]
    public async Task Load_NeverIssuedButWellFormedId_NullAndNothingCreated()
    {
        var forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        Assert.Null(await Store.LoadAsync(forged, LoadOptions, Ct));
        Assert.Equal(0, Store.SessionCount);
    }
}
