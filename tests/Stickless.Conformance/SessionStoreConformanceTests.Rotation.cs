namespace Stickless.Conformance;

// Rule 5: id rotation keeps the data, kills the old id on every node, and tolerates requests still in flight with the old id.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Rule5_RotateWithoutGrace_DataUnderTheNewIdAndTheOldIdDeadOnBothNodes()
    {
        var id = await CreateAsync(attributes: [("cart", "[7]")]);
        var newId = SessionIds.Create();

        var result = await A.CommitAsync(new SessionChangeSet { SessionId = id, Now = Clock.UtcNow, NewSessionId = newId }, Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await LoadAsync(A, id));
        Assert.Null(await LoadAsync(B, id));
        Assert.Equal(CommitStatus.NotFound, (await SetAsync(B, id, "cart", "[8]")).Status);
        var renamed = await LoadAsync(B, newId);
        Assert.Equal(newId, renamed!.Id);
        Assert.Equal("[7]", Text(renamed.Attributes["cart"]));
        Assert.False(renamed.IsGraceAlias);
    }

    [Fact]
    public async Task Rule5_SignInRotation_BindsThePrincipalAndTheIndexListsOnlyTheNewId()
    {
        var id = await CreateAsync(attributes: [("cart", "[1]")]);
        var newId = SessionIds.Create();
        var principal = "signin-" + Guid.NewGuid().ToString("N");

        var result = await B.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            Now = Clock.UtcNow,
            NewSessionId = newId,
            SetsPrincipal = true,
            Principal = principal,
            Attributes = new Dictionary<string, AttributeChange> { ["signedInAt"] = AttributeChange.Set(Bytes("1")) },
        }, Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        var record = await LoadAsync(A, newId);
        Assert.Equal(principal, record!.Principal);
        Assert.Equal("[1]", Text(record.Attributes["cart"]));
        Assert.Equal("1", Text(record.Attributes["signedInAt"]));
        Assert.Null(await LoadAsync(A, id));
        var listed = await A.FindByPrincipalAsync(principal, Ct);
        Assert.Equal([newId], listed.Select(s => s.Id));
    }

    [Fact]
    public async Task Rule5_RotateWithGrace_OldIdServesTheRenamedSessionUntilTheGraceEnds()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        var newId = SessionIds.Create();
        Assert.Equal(CommitStatus.Committed, (await A.CommitAsync(new SessionChangeSet { SessionId = id, Now = Clock.UtcNow, NewSessionId = newId, RotationGrace = Clock.Unit * 2 }, Ct)).Status);

        var viaOld = await LoadAsync(B, id);
        Assert.NotNull(viaOld);
        Assert.True(viaOld.IsGraceAlias);
        Assert.Equal(newId, viaOld.Id);
        Assert.Equal(CommitStatus.Committed, (await SetAsync(B, id, "b", "in flight")).Status);
        Assert.Equal("in flight", Text((await LoadAsync(A, newId))!.Attributes["b"]));

        await Clock.AdvanceAsync(Clock.Unit * 3, Ct);

        Assert.Null(await LoadAsync(A, id));
        Assert.Null(await LoadAsync(B, id));
        Assert.NotNull(await LoadAsync(A, newId));
    }

    [Fact]
    public async Task Rule5_RotateASessionDeletedMeanwhile_NotFoundAndNothingCreated()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        Assert.True(await B.DeleteAsync(id, Ct));
        var newId = SessionIds.Create();

        var result = await A.CommitAsync(new SessionChangeSet { SessionId = id, Now = Clock.UtcNow, NewSessionId = newId }, Ct);

        Assert.Equal(CommitStatus.NotFound, result.Status);
        Assert.Null(await LoadAsync(A, newId));
        Assert.Null(await LoadAsync(B, newId));
    }

    [Fact]
    public async Task Rule5_DeleteThroughAGraceAlias_KillsTheRenamedSession()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        var newId = SessionIds.Create();
        Assert.Equal(CommitStatus.Committed, (await A.CommitAsync(new SessionChangeSet { SessionId = id, Now = Clock.UtcNow, NewSessionId = newId, RotationGrace = Clock.Unit * 2 }, Ct)).Status);

        Assert.True(await B.DeleteAsync(id, Ct));

        Assert.Null(await LoadAsync(A, newId));
        Assert.Null(await LoadAsync(A, id));
    }
}
