using System.Globalization;

namespace Stickless.Tests;

/// <summary>Races on real threads; every loop is bounded in count.</summary>
public sealed class InMemorySessionStoreConcurrencyTests : StoreTestBase
{
    [Fact]
    public async Task Commit_RacingDelete_NeverResurrects()
    {
        var committedBeforeDelete = 0;
        for (var i = 0; i < 1_000; i++)
        {
            var id = await CreateAsync("alice", ("a", "0"));
            using var gate = new ManualResetEventSlim();
            var commit = Task.Run(async () =>
            {
                gate.Wait();
                return await SetAsync(id, "a", "1");
            });
            var delete = Task.Run(async () =>
            {
                gate.Wait();
                return await Store.DeleteAsync(id, Ct);
            });

            gate.Set();
            await Task.WhenAll(commit, delete);

            Assert.True(await delete, "the delete must find the session live");
            Assert.Contains((await commit).Status, new[] { CommitStatus.Committed, CommitStatus.NotFound });
            committedBeforeDelete += (await commit).Status == CommitStatus.Committed ? 1 : 0;
            Assert.Null(await LoadAsync(id));
            Assert.Equal(CommitStatus.NotFound, (await SetAsync(id, "a", "2")).Status);
        }

        Assert.Equal(0, Store.SessionCount);
        Assert.Equal(0, Store.IndexedSessionCount("alice"));
        Assert.Equal(1_000, Observer.Of(SessionEventKind.Deleted).Count);
    }

    [Fact]
    public async Task Commit_ConcurrentDifferentAttributes_BothSurvive()
    {
        const int PerWriter = 300;
        var id = await CreateAsync();
        using var gate = new ManualResetEventSlim();

        Task Writer(string prefix) => Task.Run(async () =>
        {
            gate.Wait();
            for (var i = 0; i < PerWriter; i++)
            {
                Assert.Equal(CommitStatus.Committed, (await SetAsync(id, prefix + i, prefix)).Status);
            }
        });

        var left = Writer("left");
        var right = Writer("right");
        gate.Set();
        await Task.WhenAll(left, right);

        var record = await LoadAsync(id);
        Assert.Equal(2 * PerWriter, record!.Attributes.Count);
        Assert.Equal(2 * PerWriter, record.Attributes.Values.Select(a => a.Version).Distinct().Count());
    }

    [Fact]
    public async Task Commit_HundredConcurrentCasIncrements_EndsAtHundred()
    {
        var id = await CreateAsync(null, ("counter", "0"));
        using var gate = new ManualResetEventSlim();

        var workers = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            var attribute = (await LoadAsync(id))!.Attributes["counter"];
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var value = int.Parse(Text(attribute), CultureInfo.InvariantCulture);
                var result = await SetAsync(id, "counter", (value + 1).ToString(CultureInfo.InvariantCulture), attribute.Version);
                if (result.Status == CommitStatus.Committed)
                {
                    return;
                }

                Assert.Equal(CommitStatus.Conflict, result.Status);

                // Retry from the value the conflict reports, without another read.
                attribute = result.Conflicts["counter"]!.Value;
            }

            Assert.Fail("compare-and-set did not converge");
        })).ToArray();

        gate.Set();
        await Task.WhenAll(workers);

        Assert.Equal("100", Text((await LoadAsync(id))!.Attributes["counter"]));
    }

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
