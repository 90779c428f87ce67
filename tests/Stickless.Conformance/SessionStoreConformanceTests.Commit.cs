namespace Stickless.Conformance;

// Rule 2: a commit is one atomic operation per session and never resurrects a session deleted or expired meanwhile.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Rule2_CommitAfterDeleteOnTheOtherNode_NotFoundAndNothingStored()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        Assert.True(await B.DeleteAsync(id, Ct));

        var result = await SetAsync(A, id, "a", "2");

        Assert.Equal(CommitStatus.NotFound, result.Status);
        Assert.Null(await LoadAsync(A, id));
        Assert.Null(await LoadAsync(B, id));
    }

    [Fact]
    public async Task Rule2_DeleteTwice_TrueThenFalse()
    {
        var id = await CreateAsync();

        Assert.True(await A.DeleteAsync(id, Ct));
        Assert.False(await B.DeleteAsync(id, Ct));
        Assert.False(await A.DeleteAsync(SessionIds.Create(), Ct));
    }

    [Fact]
    public async Task Rule2_CreateOverALiveId_AlreadyExistsAndTheSessionIsUntouched()
    {
        var id = await CreateAsync(attributes: [("a", "mine")]);
        var now = Clock.UtcNow;

        var result = await B.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = Idle,
            AbsoluteExpiry = now + Absolute,
            Attributes = new Dictionary<string, AttributeChange> { ["a"] = AttributeChange.Set(Bytes("theirs")) },
        }, Ct);

        Assert.Equal(CommitStatus.AlreadyExists, result.Status);
        Assert.Equal("mine", Text((await LoadAsync(A, id))!.Attributes["a"]));
    }

    [Fact]
    public async Task Rule2_OneCompareAndSetMismatch_RefusesTheWholeChangeSetAndReportsWhatIsStored()
    {
        var id = await CreateAsync(attributes: [("a", "1"), ("b", "1")]);
        var stored = (await LoadAsync(A, id))!.Attributes["a"];
        Assert.Equal(CommitStatus.Committed, (await SetAsync(B, id, "a", "2")).Status);

        var result = await A.CommitAsync(Change(id, ("a", AttributeChange.Set(Bytes("3"), stored.Version)), ("b", AttributeChange.Set(Bytes("3"))), ("c", AttributeChange.Set(Bytes("3")))), Ct);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal("a", conflict.Key);
        Assert.Equal("2", Text(conflict.Value!.Value));
        var record = await LoadAsync(B, id);
        Assert.Equal("2", Text(record!.Attributes["a"]));
        Assert.Equal("1", Text(record.Attributes["b"]));
        Assert.False(record.Attributes.ContainsKey("c"));
    }

    [Fact]
    public async Task Rule2_CompareAndSetOnAbsentAttribute_ExpectsVersionZero()
    {
        var id = await CreateAsync();

        Assert.Equal(CommitStatus.Committed, (await SetAsync(A, id, "new", "1", expectedVersion: 0)).Status);
        var second = await SetAsync(B, id, "new", "2", expectedVersion: 0);

        Assert.Equal(CommitStatus.Conflict, second.Status);
        Assert.Equal("1", Text(second.Conflicts["new"]!.Value));
    }

    [Fact]
    public async Task Rule2_Versions_GrowWithEveryCommitAndMatchWhatLoadShows()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        var first = (await LoadAsync(A, id))!.Attributes["a"].Version;

        var result = await SetAsync(B, id, "a", "2");
        var loaded = await LoadAsync(A, id);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.True(result.NewVersions["a"] > first);
        Assert.Equal(result.NewVersions["a"], loaded!.Attributes["a"].Version);
    }

    [Fact]
    public async Task Rule2_ClearAndSetInOneCommit_LeavesOnlyTheNewAttributes()
    {
        var id = await CreateAsync(attributes: [("a", "1"), ("b", "2")]);

        var result = await A.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            Now = Clock.UtcNow,
            ClearAttributes = true,
            Attributes = new Dictionary<string, AttributeChange> { ["c"] = AttributeChange.Set(Bytes("3")) },
        }, Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        var record = await LoadAsync(B, id);
        Assert.Equal(["c"], record!.Attributes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rule2_RemoveAttribute_GoneOnBothNodesOthersKept()
    {
        var id = await CreateAsync(attributes: [("a", "1"), ("b", "2")]);

        Assert.Equal(CommitStatus.Committed, (await A.CommitAsync(Change(id, ("a", AttributeChange.Remove())), Ct)).Status);

        var record = await LoadAsync(B, id);
        Assert.False(record!.Attributes.ContainsKey("a"));
        Assert.Equal("2", Text(record.Attributes["b"]));
    }

    [Fact]
    public async Task Rule2_DeleteRacingCommitsOnTwoNodes_NeverResurrects()
    {
        for (var round = 0; round < 25; round++)
        {
            var id = await CreateAsync(attributes: [("a", "0")]);
            var writer = Task.Run(async () =>
            {
                for (var i = 0; i < 4; i++)
                {
                    var status = (await SetAsync(B, id, "a", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Status;
                    Assert.True(status is CommitStatus.Committed or CommitStatus.NotFound, $"unexpected {status}");
                }
            });
            var deleter = Task.Run(async () => await A.DeleteAsync(id, Ct));

            await Task.WhenAll(writer, deleter);

            Assert.Null(await LoadAsync(A, id));
            Assert.Null(await LoadAsync(B, id));
            Assert.Equal(CommitStatus.NotFound, (await SetAsync(B, id, "a", "late")).Status);
        }
    }
}
