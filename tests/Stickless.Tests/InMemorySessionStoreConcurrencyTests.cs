using System.Globalization;

namespace Stickless.Tests;

/// <summary>Races on real threads; every loop is bounded in count.</summary>
public sealed class InMemorySessionStoreConcurrencyTests : StoreTestBase
{
    [Fact]
    public async Task Load_DuringCommits_NeverSeesTornState()
    {
        const int Commits = 2_000;
        var id = await CreateAsync(null, ("a", "0"), ("b", "0"));
        var done = 0;

        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= Commits; i++)
            {
                var value = Bytes(i.ToString(CultureInfo.InvariantCulture));
                await Store.CommitAsync(Change(id, ("a", AttributeChange.Set(value)), ("b", AttributeChange.Set(value))), Ct);
            }

            Volatile.Write(ref done, 1);
        });

        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (Volatile.Read(ref done) == 0 && reads < 1_000_000)
            {
                var record = await LoadAsync(id);
                Assert.Equal(Text(record!.Attributes["a"]), Text(record.Attributes["b"]));
                Assert.Equal(record.Attributes["a"].Version, record.Attributes["b"].Version);
                reads++;
            }
        });

        await Task.WhenAll(writer, reader);
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Load_TouchingWhileCommitting_LosesNoCommit()
    {
        const int Commits = 500;
        var id = await CreateAsync();
        var done = 0;
        var everyLoadTouches = new SessionLoadOptions(Time.GetUtcNow(), TimeSpan.Zero);

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < Commits; i++)
            {
                await SetAsync(id, "k" + i, "v");
            }

            Volatile.Write(ref done, 1);
        });
        var toucher = Task.Run(async () =>
        {
            for (var n = 0; Volatile.Read(ref done) == 0 && n < 1_000_000; n++)
            {
                Assert.True((await Store.LoadAsync(id, everyLoadTouches, Ct))!.Touched);
            }
        });

        await Task.WhenAll(writer, toucher);

        Assert.Equal(Commits, (await LoadAsync(id))!.Attributes.Count);
    }

    [Fact]
    public async Task Commit_ThroughOldIdWhileRenamingWithGrace_EveryWriteLandsInTheNewSession()
    {
        const int Commits = 300;
        var oldId = await CreateAsync();
        var newId = SessionIds.Create();
        using var gate = new ManualResetEventSlim();

        var writer = Task.Run(async () =>
        {
            gate.Wait();
            for (var i = 0; i < Commits; i++)
            {
                Assert.Equal(CommitStatus.Committed, (await SetAsync(oldId, "k" + i, "v")).Status);
            }
        });
        var renamer = Task.Run(async () =>
        {
            gate.Wait();
            Assert.Equal(CommitStatus.Committed, (await RenameAsync(oldId, newId, TimeSpan.FromMinutes(1))).Status);
        });

        gate.Set();
        await Task.WhenAll(writer, renamer);

        Assert.Equal(Commits, (await LoadAsync(newId))!.Attributes.Count);
        Assert.Equal(1, Store.SessionCount);
    }

    [Fact]
    public async Task Delete_RacingDelete_ExactlyOneSucceeds()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = await CreateAsync();
            using var gate = new ManualResetEventSlim();
            var first = Task.Run(async () => { gate.Wait(); return await Store.DeleteAsync(id, Ct); });
            var second = Task.Run(async () => { gate.Wait(); return await Store.DeleteAsync(id, Ct); });

            gate.Set();
            var results = await Task.WhenAll(first, second);

            Assert.Single(results, r => r);
        }

        Assert.Equal(200, Observer.Of(SessionEventKind.Deleted).Count);
    }
}
