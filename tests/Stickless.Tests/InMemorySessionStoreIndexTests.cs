namespace Stickless.Tests;

public sealed class InMemorySessionStoreIndexTests : StoreTestBase
{
    [Fact]
    public async Task FindByPrincipal_Summary_CarriesTimestamps()
    {
        var id = await CreateAsync("alice");
        var created = Time.GetUtcNow();

        var summary = Assert.Single(await Store.FindByPrincipalAsync("alice", Ct));

        Assert.Equal(new SessionSummary(id, created, created, created + Idle), summary);
    }

    [Fact]
    public async Task FindByPrincipal_CaseDiffers_NotFound()
    {
        await CreateAsync("alice");

        Assert.Empty(await Store.FindByPrincipalAsync("Alice", Ct));
    }

    [Fact]
    public async Task FindByPrincipal_ExpiredSession_PrunedAndExpiredRaised()
    {
        // Sweeps run every 30 s from 0:00. The old session dies at 20:10 and the lookup happens at 20:15,
        // so no sweep has seen it dead: this tests the lazy path.
        Time.Advance(TimeSpan.FromSeconds(10));
        var old = await CreateAsync("alice");
        Time.Advance(TimeSpan.FromMinutes(15));
        var young = await CreateAsync("alice");
        Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        Assert.Equal(2, Store.IndexedSessionCount("alice"));

        var found = await Store.FindByPrincipalAsync("alice", Ct);

        Assert.Equal([young], found.Select(s => s.Id));
        Assert.Equal(1, Store.IndexedSessionCount("alice"));
        Assert.Equal([old], Observer.Of(SessionEventKind.Expired).Select(e => e.SessionId));
    }

}
