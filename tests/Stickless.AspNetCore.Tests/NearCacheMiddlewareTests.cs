using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>The near cache under the middleware: a warm read-only request makes no store call, a writing one makes one.</summary>
public sealed class NearCacheMiddlewareTests
{
    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        switch (context.Request.Path.Value)
        {
            case "/inc":
                await context.Response.WriteAsync((await session.IncrementAsync("counter")).ToString(CultureInfo.InvariantCulture));
                break;
            case "/set":
                session.Set("note", "written");
                break;
            default:
                await context.Response.WriteAsync($"{session.Get<long>("counter")};{session.Get<string>("note")}");
                break;
        }
    }

    private static Task<TestApp> StartAsync(ManualTimeProvider? clock = null) =>
        TestApp.StartAsync(Handler, o => o.NearCache.Enabled = true, new TestAppOptions { Store = SticklessOptions.InMemoryStoreName, Clock = clock });

    [Fact]
    public async Task ReadOnlyRequests_WarmCopy_NoStoreCall()
    {
        await using var app = await StartAsync();
        var cache = Cache(app);
        var client = app.NewSessionClient();
        Assert.Equal("1", await client.GetStringAsync("/inc"));
        Assert.Equal("1;", await client.GetStringAsync("/")); // the first load fills the copy
        var before = cache.Statistics;

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("1;", await client.GetStringAsync("/"));
        }

        var after = cache.Statistics;
        Assert.Equal(before.Hits + 10, after.Hits);
        Assert.Equal(before.Misses, after.Misses);
    }

    [Fact]
    public async Task WritingRequest_WarmCopy_OnlyTheCommitAndTheCopyFollows()
    {
        await using var app = await StartAsync();
        var cache = Cache(app);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/inc");
        await client.GetStringAsync("/");
        var before = cache.Statistics;

        Assert.Equal("2", await client.GetStringAsync("/inc"));
        await client.GetAsync("/set");
        Assert.Equal("2;written", await client.GetStringAsync("/"));

        var after = cache.Statistics;
        Assert.Equal(before.Misses, after.Misses); // every load was a hit: the commits updated the copy
        Assert.Equal(before.Hits + 3, after.Hits);
    }

    [Fact]
    public async Task ReadOnlyRequest_TouchDue_GoesToTheStoreWhichMovesTheExpiry()
    {
        var clock = new ManualTimeProvider();
        await using var app = await StartAsync(clock);
        var cache = Cache(app);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/inc");
        await client.GetStringAsync("/");
        var before = cache.Statistics;

        clock.Advance(TimeSpan.FromMinutes(3)); // past the touch throttle (2 of the 20 idle minutes), and MaxStaleness
        await client.GetStringAsync("/");
        await client.GetStringAsync("/");

        var after = cache.Statistics;
        Assert.Equal(before.Misses + 1, after.Misses); // the touch went to the store; its answer is the new copy
        Assert.Equal(before.Hits + 1, after.Hits);
    }

    [Fact]
    public async Task Configuration_NearCacheEnabled_PutsTheCacheInFrontOfTheStore()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stickless:NearCache:Enabled"] = "true",
            ["Stickless:NearCache:MaxStaleness"] = "00:00:05",
            ["Stickless:NearCache:MaxBytes"] = "1048576",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddStickless(configuration.GetSection("Stickless"));
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<NearCacheSessionStore>(provider.GetRequiredService<ISessionStore>());
        Assert.IsType<InMemorySessionStore>(store.Inner);
        Assert.Equal(TimeSpan.FromSeconds(5), provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SticklessHttpOptions>>().Value.NearCache.MaxStaleness);
    }

    [Fact]
    public async Task NearCache_StoreWithoutInvalidations_FailsWithAClearMessage()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddStickless(o => o.NearCache.Enabled = true).AddStore("Plain", sp => new CountingSessionStore(new InMemorySessionStore(TimeProvider.System, SessionEventPublisher.None))).UseStore("Plain");
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ISessionStore>());
        Assert.Contains("publishes no invalidations", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00.050", "MaxStaleness")] // too short to prove a channel
    [InlineData("02:00:00", "MaxStaleness")] // a copy an hour stale defeats the bound
    public void Options_OutOfRange_ListedAtStart(string maxStaleness, string expected)
    {
        var options = new SticklessHttpOptions();
        options.NearCache.MaxStaleness = TimeSpan.Parse(maxStaleness, CultureInfo.InvariantCulture);
        options.NearCache.MaxBytes = 10;
        var errors = new List<string>();

        options.Validate(errors);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxBytes", StringComparison.Ordinal));
    }

    private static NearCacheSessionStore Cache(TestApp app) => Assert.IsType<NearCacheSessionStore>(app.Services.GetRequiredService<ISessionStore>());
}
