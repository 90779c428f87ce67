namespace Stickless.Tests;

public sealed class InMemorySessionStoreCommitTests : StoreTestBase
{
    [Fact]
    public async Task Commit_New_CreatesWithAttributesAtVersionOne()
    {
        var id = await CreateAsync("alice", ("a", "1"), ("b", "2"));

        var record = await LoadAsync(id);

        Assert.NotNull(record);
        Assert.Equal(id, record.Id);
        Assert.Equal("alice", record.Principal);
        Assert.Equal(Time.GetUtcNow(), record.CreatedAt);
        Assert.Equal(Time.GetUtcNow() + Absolute, record.AbsoluteExpiry);
        Assert.Equal(Idle, record.IdleTimeout);
        Assert.Equal("1", Text(record.Attributes["a"]));
        Assert.Equal(1, record.Attributes["a"].Version);
        Assert.Equal(1, record.Attributes["b"].Version);
    }

    [Fact]
    public async Task Commit_SeveralAttributes_AllGetTheSameNewVersion()
    {
        var id = await CreateAsync();

        var result = await Store.CommitAsync(Change(id, ("a", AttributeChange.Set(Bytes("1"))), ("b", AttributeChange.Set(Bytes("2")))), Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 1 }, result.NewVersions);
    }

    [Fact]
    public async Task Commit_ReSetAfterClear_VersionStillGrows()
    {
        var id = await CreateAsync(null, ("a", "1"));
        await Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), ClearAttributes = true }, Ct);

        var result = await SetAsync(id, "a", "again");

        // A reader still holding version 1 of "a" must not succeed a compare-and-set against the new value.
        Assert.Equal(2, result.NewVersions["a"]);
        Assert.Equal(CommitStatus.Conflict, (await SetAsync(id, "a", "stale", expectedVersion: 1)).Status);
    }

    [Fact]
    public async Task Commit_CasMatches_Applies()
    {
        var id = await CreateAsync(null, ("count", "1"));

        var result = await SetAsync(id, "count", "2", expectedVersion: 1);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal("2", Text((await LoadAsync(id))!.Attributes["count"]));
    }

    [Fact]
    public async Task Commit_CasOnRemovedAttribute_ConflictWithNull()
    {
        var id = await CreateAsync(null, ("a", "1"));
        await Store.CommitAsync(Change(id, ("a", AttributeChange.Remove())), Ct);

        var result = await SetAsync(id, "a", "2", expectedVersion: 1);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        Assert.True(result.Conflicts.ContainsKey("a"));
        Assert.Null(result.Conflicts["a"]);
    }

    [Fact]
    public async Task Commit_CasRemoveStale_ConflictAndKept()
    {
        var id = await CreateAsync(null, ("a", "1"));
        await SetAsync(id, "a", "2");

        var result = await Store.CommitAsync(Change(id, ("a", AttributeChange.Remove(expectedVersion: 1))), Ct);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        Assert.Equal("2", Text((await LoadAsync(id))!.Attributes["a"]));
    }

    [Fact]
    public async Task Commit_NewWithNonZeroExpectedVersion_Conflict()
    {
        var now = Time.GetUtcNow();
        var result = await Store.CommitAsync(new SessionChangeSet
        {
            SessionId = SessionIds.Create(),
            IsNew = true,
            Now = now,
            IdleTimeout = Idle,
            AbsoluteExpiry = now + Absolute,
            Attributes = new Dictionary<string, AttributeChange> { ["a"] = AttributeChange.Set(Bytes("1"), expectedVersion: 3) },
        }, Ct);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        Assert.Equal(0, Store.SessionCount);
    }

    [Fact]
    public async Task Commit_CallerReusesBuffer_StoredValueUnchanged()
    {
        var id = await CreateAsync();
        var buffer = Bytes("original");

        await Store.CommitAsync(Change(id, ("a", AttributeChange.Set(buffer))), Ct);
        buffer.AsSpan().Fill((byte)'X');

        Assert.Equal("original", Text((await LoadAsync(id))!.Attributes["a"]));
    }

    [Fact]
    public async Task Commit_SetsPrincipal_BindsAndClears()
    {
        var id = await CreateAsync();

        await Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), SetsPrincipal = true, Principal = "bob" }, Ct);
        Assert.Equal("bob", (await LoadAsync(id))!.Principal);

        await Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), SetsPrincipal = true, Principal = null }, Ct);
        Assert.Null((await LoadAsync(id))!.Principal);
    }

    [Fact]
    public async Task Commit_Touch_MovesLastAccessed()
    {
        var id = await CreateAsync();
        Time.Advance(TimeSpan.FromMinutes(5));

        await Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), Touch = true }, Ct);

        Assert.Equal(Time.GetUtcNow(), (await LoadAsync(id))!.LastAccessedAt);
    }

    [Fact]
    public async Task Commit_WithoutTouch_KeepsLastAccessed()
    {
        var id = await CreateAsync();
        var created = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(5));

        await SetAsync(id, "a", "1");

        Assert.Equal(created, (await LoadAsync(id))!.LastAccessedAt);
    }

    public static TheoryData<string> InvalidChangeSets => ["no idle timeout", "no absolute expiry", "new and rename", "rename to same id", "empty attribute name", "negative grace"];

    [Theory]
    [MemberData(nameof(InvalidChangeSets))]
    public async Task Commit_InconsistentChangeSet_ThrowsArgumentException(string which)
    {
        var id = SessionIds.Create();
        var now = Time.GetUtcNow();
        var changes = which switch
        {
            "no idle timeout" => new SessionChangeSet { SessionId = id, IsNew = true, Now = now, AbsoluteExpiry = now + Absolute },
            "no absolute expiry" => new SessionChangeSet { SessionId = id, IsNew = true, Now = now, IdleTimeout = Idle },
            "new and rename" => new SessionChangeSet { SessionId = id, IsNew = true, Now = now, IdleTimeout = Idle, AbsoluteExpiry = now + Absolute, NewSessionId = SessionIds.Create() },
            "rename to same id" => new SessionChangeSet { SessionId = id, Now = now, NewSessionId = id },
            "empty attribute name" => Change(id, ("", AttributeChange.Set(Bytes("1")))),
            _ => new SessionChangeSet { SessionId = id, Now = now, NewSessionId = SessionIds.Create(), RotationGrace = TimeSpan.FromSeconds(-1) },
        };

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CommitAsync(changes, Ct));
    }

    [Fact]
    public async Task Commit_CancelledToken_ThrowsAndWritesNothing()
    {
        var id = await CreateAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.CommitAsync(Change(id, ("a", AttributeChange.Set(Bytes("1")))), cts.Token));

        Assert.Empty((await LoadAsync(id))!.Attributes);
    }

    [Fact]
    public async Task Ping_Always_Completes()
    {
        await Store.PingAsync(Ct);

        Assert.Equal("InMemory", Store.Name);
    }
}
