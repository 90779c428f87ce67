using System.Diagnostics;

namespace Stickless.Conformance;

/// <summary>
/// Rule 6: store down or slow: every call is bounded by a timeout and fails with
/// <see cref="SessionStoreUnavailableException"/> (never a hang, never a silent success); once the store is back, calls
/// succeed again and nothing was mixed up.
/// </summary>
public abstract class StoreOutageConformanceTests : ConformanceSuite
{
    /// <summary>How the test takes the store down.</summary>
    protected abstract IStoreOutage Outage { get; }

    [Fact]
    public async Task Rule6_ServersFrozen_EveryCallFailsWithinItsBoundThenWorksAgain()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        await Outage.PauseAsync(Ct);
        try
        {
            await AssertUnavailableWithinBoundAsync(async () => await LoadAsync(A, id));
            await AssertUnavailableWithinBoundAsync(async () => await SetAsync(B, id, "a", "2"));
            await AssertUnavailableWithinBoundAsync(async () => await A.DeleteAsync(id, Ct));
            await AssertUnavailableWithinBoundAsync(async () => await B.FindByPrincipalAsync("anyone", Ct));
        }
        finally
        {
            await Outage.ResumeAsync(Ct);
        }

        var deadline = Stopwatch.StartNew();
        SessionRecord? record = null;
        while (record is null && deadline.Elapsed < Outage.CallBound * 10 + TimeSpan.FromSeconds(10))
        {
            try
            {
                record = await LoadAsync(A, id);
                Assert.NotNull(record);
            }
            catch (SessionStoreUnavailableException)
            {
                // Reconnecting: a call made while the connection recovers may still fail; the next one must not forever.
            }
        }

        Assert.NotNull(record);
        Assert.Equal(id, record.Id);
        Assert.Contains(Text(record.Attributes["a"]), new[] { "1", "2" });
    }

    private async Task AssertUnavailableWithinBoundAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(call);
        Assert.True(watch.Elapsed < Outage.CallBound * 2 + TimeSpan.FromSeconds(1), $"the call took {watch.Elapsed}, bound {Outage.CallBound}");
    }
}
