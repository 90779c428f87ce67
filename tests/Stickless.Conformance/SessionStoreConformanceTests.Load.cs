namespace Stickless.Conformance;

// Rule 1: a read-only request makes at most one round trip and writes nothing unless the touch throttle says the expiry must move.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Rule1_LoadUnknownId_ReturnsNull()
    {
        Assert.Null(await LoadAsync(A, SessionIds.Create()));
        Assert.Null(await LoadAsync(B, SessionIds.Create()));
    }

    [Fact]
    public async Task Rule1_LoadCreatedSession_ReturnsWhatWasCommittedOnBothNodes()
    {
        var before = Clock.UtcNow;
        var id = await CreateAsync(principal: "alice", attributes: [("cart", "[1,2]"), ("theme", "\"dark\"")]);

        foreach (var store in new[] { A, B })
        {
            var record = await LoadAsync(store, id);

            Assert.NotNull(record);
            Assert.Equal(id, record.Id);
            Assert.Equal("alice", record.Principal);
            Assert.Equal(Idle, record.IdleTimeout);
            Assert.Equal("[1,2]", Text(record.Attributes["cart"]));
            Assert.Equal("\"dark\"", Text(record.Attributes["theme"]));
            Assert.True(record.Attributes["cart"].Version > 0);
            Assert.False(record.IsGraceAlias);
            Assert.InRange(record.CreatedAt, before - Clock.Unit, Clock.UtcNow + Clock.Unit);
            Assert.InRange(record.AbsoluteExpiry, before + Absolute - Clock.Unit, Clock.UtcNow + Absolute + Clock.Unit);
        }
    }

    [Fact]
    public async Task Rule1_LoadBeforeTouchIsDue_MovesNothing()
    {
        var id = await CreateAsync();
        var created = (await LoadAsync(B, id))!.LastAccessedAt;

        var record = await LoadAsync(A, id, touchAfter: Idle);

        Assert.NotNull(record);
        Assert.False(record.Touched);
        Assert.Equal(created, record.LastAccessedAt);
        Assert.Equal(created, (await LoadAsync(B, id))!.LastAccessedAt);
    }

    [Fact]
    public async Task Rule1_LoadWhenTouchIsDue_MovesTheExpiryInTheSameCall()
    {
        var id = await CreateAsync();
        var created = (await LoadAsync(B, id))!.LastAccessedAt;
        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);

        var record = await LoadAsync(A, id, touchAfter: Clock.Unit);

        Assert.NotNull(record);
        Assert.True(record.Touched);
        Assert.True(record.LastAccessedAt > created);

        // A store may write the touch behind the load (TouchWriteBehindRequests): the other node sees it shortly after.
        var seen = await EventuallyAsync(() => LoadAsync(B, id).AsTask(), s => s?.LastAccessedAt == record.LastAccessedAt);
        Assert.Equal(record.LastAccessedAt, seen!.LastAccessedAt);
        Assert.False(seen.Touched);
    }

    [Fact]
    public async Task Rule1_ReadOnlyLoad_AtMostOneRoundTrip()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        await LoadAsync(A, id);
        var before = await Subject.CountRoundTripsAsync(Ct);

        await LoadAsync(A, id);

        Assert.InRange(await Subject.CountRoundTripsAsync(Ct) - before, 0, 1);
    }

    [Fact]
    public async Task Rule1_LoadThatTouches_AtMostOneRoundTrip()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        await LoadAsync(A, id);
        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);
        var before = await Subject.CountRoundTripsAsync(Ct);

        var record = await LoadAsync(A, id, touchAfter: Clock.Unit);

        Assert.True(record!.Touched);
        Assert.InRange(await Subject.CountRoundTripsAsync(Ct) - before, 0, 1 + Subject.TouchWriteBehindRequests);
    }
}
