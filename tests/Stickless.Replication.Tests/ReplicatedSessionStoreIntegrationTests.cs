using System.Text;
using Stickless.Replication.Membership;
using Stickless.Replication.Tests.Infrastructure;

namespace Stickless.Replication.Tests;

/// <summary>What only the replicated store does: copies, failover, restart and heal, on real peers over loopback Kestrel.</summary>
public sealed class ReplicatedSessionStoreIntegrationTests
{
    private static readonly CancellationToken Ct = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static async Task<string> CreateAsync(ReplicatedSessionStore store, string name, string value)
    {
        var id = SessionIds.Create();
        var now = DateTimeOffset.UtcNow;
        var result = await store.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = TimeSpan.FromMinutes(20),
            AbsoluteExpiry = now.AddHours(8),
            Attributes = new Dictionary<string, AttributeChange> { [name] = AttributeChange.Set(Encoding.UTF8.GetBytes(value)) },
        }, Ct);
        Assert.Equal(CommitStatus.Committed, result.Status);
        return id;
    }

    private static Task<CommitResult> SetAsync(ReplicatedSessionStore store, string id, string name, string value) => store.CommitAsync(new SessionChangeSet
    {
        SessionId = id,
        Now = DateTimeOffset.UtcNow,
        Attributes = new Dictionary<string, AttributeChange> { [name] = AttributeChange.Set(Encoding.UTF8.GetBytes(value)) },
    }, Ct).AsTask();

    private static async Task<string?> ReadAsync(ReplicatedSessionStore store, string id, string name)
    {
        var record = await store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), Ct);
        return record is not null && record.Attributes.TryGetValue(name, out var attribute) ? Encoding.UTF8.GetString(attribute.Value.Span) : null;
    }

    [Theory]
    [InlineData(ReplicationMode.PrimaryBackup)]
    [InlineData(ReplicationMode.AllToAll)]
    public async Task OwnerKilled_SyncCopies_EveryAcknowledgedWriteSurvives(ReplicationMode mode)
    {
        await using var cluster = await ReplicationCluster.StartAsync(3, mode);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var id = await CreateAsync(cluster.Nodes[i % 3]!, "v", "created");
            Assert.Equal(CommitStatus.Committed, (await SetAsync(cluster.Nodes[(i + 1) % 3]!, id, "v", $"written-{i}")).Status);
            ids.Add(id);
        }

        await cluster.KillNodeAsync(0);
        await cluster.WaitUntilAsync(() => cluster.Nodes[1]!.View.Ready.Count == 2 && cluster.Nodes[2]!.View.Ready.Count == 2, "the survivors dropping n1");

        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal($"written-{i}", await ReadAsync(cluster.Nodes[1 + (i % 2)]!, ids[i], "v"));
        }
    }

    [Fact]
    public async Task Restart_NodeComesBackEmpty_RefusesUntilItsStateArrivedThenServesEverySession()
    {
        await using var cluster = await ReplicationCluster.StartAsync(3, ReplicationMode.PrimaryBackup);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await CreateAsync(cluster.Nodes[i % 3]!, "v", $"value-{i}"));
        }

        await cluster.KillNodeAsync(2);
        await cluster.StartNodeAsync(2);
        var restarted = cluster.Nodes[2]!;
        if (restarted.Status != PeerStatus.Ready)
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => restarted.PingAsync(Ct).AsTask());
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => restarted.LoadAsync(ids[0], new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), Ct).AsTask());
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => n!.Status == PeerStatus.Ready && n.View.Ready.Count == 3), "the restarted node Ready in every view");
        await restarted.PingAsync(Ct);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal($"value-{i}", await ReadAsync(restarted, ids[i], "v"));
        }
    }

    [Theory]
    [InlineData(ReplicationMode.PrimaryBackup)]
    [InlineData(ReplicationMode.AllToAll)]
    public async Task PartitionHealed_DeleteOnOneSide_WinsOnEveryNode(ReplicationMode mode)
    {
        await using var cluster = await ReplicationCluster.StartAsync(2, mode, throughRelays: true);
        var a = cluster.Nodes[0]!;
        var b = cluster.Nodes[1]!;
        var id = await CreateAsync(a, "v", "before");

        cluster.Partition([0], [1]);
        await cluster.WaitUntilAsync(() => a.View.Ready.Count == 1 && b.View.Ready.Count == 1, "both sides alone");
        Assert.True(await b.DeleteAsync(id, Ct));
        Assert.Equal(CommitStatus.Committed, (await SetAsync(a, id, "v", "written-apart")).Status);

        cluster.Heal();
        await cluster.WaitUntilAsync(() => a.View.Ready.Count == 2 && b.View.Ready.Count == 2, "the sides seeing each other again");
        await cluster.WaitUntilAsync(() => a.GetStatistics().DeletesWon + b.GetStatistics().DeletesWon >= 1, "the heal reconciling the session");

        Assert.Null(await a.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), Ct));
        Assert.Null(await b.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), Ct));
        Assert.Equal(CommitStatus.NotFound, (await SetAsync(a, id, "v", "after")).Status);
    }

    [Fact]
    public async Task PartitionHealed_SameAttributeWrittenOnBothSides_OneValueEverywhereAndAConflictCounted()
    {
        await using var cluster = await ReplicationCluster.StartAsync(2, ReplicationMode.AllToAll, throughRelays: true);
        var a = cluster.Nodes[0]!;
        var b = cluster.Nodes[1]!;
        var id = await CreateAsync(a, "v", "before");

        cluster.Partition([0], [1]);
        await cluster.WaitUntilAsync(() => a.View.Ready.Count == 1 && b.View.Ready.Count == 1, "both sides alone");
        Assert.Equal(CommitStatus.Committed, (await SetAsync(a, id, "v", "from-a")).Status);
        Assert.Equal(CommitStatus.Committed, (await SetAsync(b, id, "v", "from-b")).Status);

        cluster.Heal();
        await cluster.WaitUntilAsync(() => a.GetStatistics().Conflicts + b.GetStatistics().Conflicts >= 1, "the heal counting the conflict");
        await cluster.WaitUntilAsync(() => ReadAsync(a, id, "v").Result == ReadAsync(b, id, "v").Result, "both nodes agreeing");

        Assert.Contains(await ReadAsync(a, id, "v"), new[] { "from-a", "from-b" });
    }

    [Fact]
    public async Task MinorityCutOff_Healed_ReadsTheWritesMadeWithoutIt()
    {
        await using var cluster = await ReplicationCluster.StartAsync(3, ReplicationMode.PrimaryBackup, throughRelays: true);
        var id = await CreateAsync(cluster.Nodes[0]!, "v", "before");

        // Cut n3 off both ways: to the others it looks dead; n3 itself sees two silent peers, not a pause.
        cluster.Partition([0, 1], [2]);
        await cluster.WaitUntilAsync(() => cluster.Nodes[0]!.View.Ready.Count == 2 && cluster.Nodes[1]!.View.Ready.Count == 2, "n1 and n2 dropping n3");
        Assert.Equal(CommitStatus.Committed, (await SetAsync(cluster.Nodes[1]!, id, "v", "while-n3-was-away")).Status);
        cluster.Heal();
        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => n!.View.Ready.Count == 3), "every view whole again");

        await cluster.WaitUntilAsync(() => ReadAsync(cluster.Nodes[2]!, id, "v").Result == "while-n3-was-away", "n3 reading the write made while it was away");
    }

    [Fact]
    public async Task Rejoin_AfterTheOthersMovedOn_TakesTheirNewerStateBeforeServing()
    {
        await using var cluster = await ReplicationCluster.StartAsync(3, ReplicationMode.PrimaryBackup, throughRelays: true);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await CreateAsync(cluster.Nodes[i % 3]!, "v", "old"));
        }

        cluster.Partition([0], [1, 2]);
        await cluster.WaitUntilAsync(() => cluster.Nodes[1]!.View.Ready.Count == 2 && cluster.Nodes[2]!.View.Ready.Count == 2, "n2 and n3 dropping n1");
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(CommitStatus.Committed, (await SetAsync(cluster.Nodes[1 + (i % 2)]!, ids[i], "v", "new")).Status);
        }

        cluster.Heal();
        cluster.Nodes[0]!.Rejoin();
        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => n!.Status == PeerStatus.Ready && n.View.Ready.Count == 3), "n1 Ready again in every view");

        foreach (var id in ids)
        {
            Assert.Equal("new", await ReadAsync(cluster.Nodes[0]!, id, "v"));
        }
    }
}
