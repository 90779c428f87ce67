namespace Stickless.Conformance;

// Rule 4: idle and absolute timeouts are enforced by the store's own expiry, not by a cleanup loop on an app server's clock.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Rule4_IdleTimeoutPassesWithoutTouch_SessionGoneOnBothNodes()
    {
        var id = await CreateAsync(principal: "idler", attributes: [("a", "1")]);

        await Clock.AdvanceAsync(Idle + Clock.Unit, Ct);

        Assert.Null(await LoadAsync(A, id));
        Assert.Null(await LoadAsync(B, id));
        Assert.Equal(CommitStatus.NotFound, (await SetAsync(A, id, "a", "2")).Status);
        Assert.DoesNotContain(await B.FindByPrincipalAsync("idler", Ct), s => s.Id == id);
    }

    [Fact]
    public async Task Rule4_TouchBeforeIdleTimeout_KeepsTheSessionAliveForAnotherIdleTimeout()
    {
        // Every "still alive" check keeps two units of slack before its deadline: a loaded machine is slow between steps.
        var id = await CreateAsync();
        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);
        Assert.True((await LoadAsync(A, id, touchAfter: TimeSpan.Zero))!.Touched);

        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);
        Assert.NotNull(await LoadAsync(B, id));

        await Clock.AdvanceAsync(Clock.Unit * 3, Ct);
        Assert.Null(await LoadAsync(B, id));
    }

    [Fact]
    public async Task Rule4_AbsoluteTimeout_EndsTheSessionWhateverItsActivity()
    {
        // Touched every two units, so only the absolute timeout (six units) can end it; two units of slack before it.
        var id = await CreateAsync(absolute: Clock.Unit * 6);

        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);
        Assert.NotNull(await LoadAsync(A, id, touchAfter: TimeSpan.Zero));
        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);
        var touched = await LoadAsync(B, id, touchAfter: TimeSpan.Zero);
        Assert.NotNull(touched);
        Assert.True(touched.ExpiresAt <= touched.AbsoluteExpiry);

        await Clock.AdvanceAsync(Clock.Unit * 3, Ct);
        Assert.Null(await LoadAsync(A, id));
        Assert.Equal(CommitStatus.NotFound, (await SetAsync(B, id, "a", "1")).Status);
    }

    [Fact]
    public async Task Rule4_CommitWithTouch_MovesTheIdleExpiry()
    {
        var id = await CreateAsync();
        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);

        var result = await A.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            Now = Clock.UtcNow,
            Touch = true,
            Attributes = new Dictionary<string, AttributeChange> { ["a"] = AttributeChange.Set(Bytes("1")) },
        }, Ct);
        await Clock.AdvanceAsync(Clock.Unit * 2, Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.NotNull(await LoadAsync(B, id));
    }
}
