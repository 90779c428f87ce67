using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// Where the store's connection comes from (an IConnectionMultiplexer from DI, keyed or not; a factory;
/// ConfigurationOptions; a connection string), and the rules that come with it: Stickless disposes only what it
/// opened, never registers a profiler on a multiplexer it was given, never changes the options it was given, and
/// refuses a server older than Redis 6.2 with a clear error.
/// </summary>
public sealed class RedisConnectionSourceIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>
{
    [Fact]
    public async Task UseRedis_UnkeyedMultiplexerFromDi_UsesItAndLeavesItOpen()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var watched = Watch(multiplexer);
        await using (var services = new ServiceCollection().AddSingleton(watched).AddSticklessCore().UseRedis(o => o.SweepInterval = TimeSpan.Zero).Services.BuildServiceProvider())
        {
            var store = Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());
            await AssertWorksAsync(store);
            Assert.False(store.OwnsConnection);
        }

        Assert.True(multiplexer.IsConnected); // the store and the container are gone; the application's multiplexer is not
        Assert.DoesNotContain(WatchingProxy.Calls(watched), c => c is "RegisterProfiler" or "Close" or "CloseAsync" or "Dispose" or "DisposeAsync");
        Assert.Contains("AddLibraryNameSuffix", WatchingProxy.Calls(watched));
        await multiplexer.DisposeAsync();
    }

    [Fact]
    public async Task UseRedis_KeyedMultiplexerFromDi_UsesTheOneWithTheKey()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var services = new ServiceCollection()
            .AddKeyedSingleton<IConnectionMultiplexer>("sessions", multiplexer)
            .AddSticklessCore()
            .UseRedis(o => { o.ConnectionMultiplexerServiceKey = "sessions"; o.SweepInterval = TimeSpan.Zero; })
            .Services.BuildServiceProvider();

        var store = Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());

        await AssertWorksAsync(store);
        Assert.False(store.OwnsConnection);
    }

    [Fact]
    public async Task Options_KeyedMultiplexerNotRegistered_ValidationNamesTheKey()
    {
        await using var services = new ServiceCollection().AddSticklessCore().UseRedis(o => o.ConnectionMultiplexerServiceKey = "nope").Services.BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisSessionStoreOptions>>().Value);

        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_Factory_CalledOnceOnFirstUseAndNeverDisposed()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var calls = 0;
        await using (var store = new RedisSessionStore(new RedisSessionStoreOptions
        {
            ConnectionMultiplexerFactory = () => { Interlocked.Increment(ref calls); return Task.FromResult<IConnectionMultiplexer>(multiplexer); },
            SweepInterval = TimeSpan.Zero,
        }))
        {
            Assert.Equal(0, calls); // nothing connects in a constructor
            await AssertWorksAsync(store);
            await AssertWorksAsync(store);
        }

        Assert.Equal(1, calls);
        Assert.True(multiplexer.IsConnected);
    }

    [Fact]
    public async Task Options_ConfigurationOptions_ConnectsWithACloneAndLeavesTheCallersObjectAsItWas()
    {
        var given = ConfigurationOptions.Parse(server.Configuration);
        given.AbortOnConnectFail = true;
        var before = given.ToString();
        var clientsBefore = await ClientCountAsync();

        await using (var store = new RedisSessionStore(new RedisSessionStoreOptions { ConfigurationOptions = given, SweepInterval = TimeSpan.Zero, OperationTimeout = TimeSpan.FromSeconds(3) }))
        {
            await AssertWorksAsync(store);
            Assert.True(store.OwnsConnection);
            Assert.True(await ClientCountAsync() > clientsBefore);
        }

        Assert.Equal(before, given.ToString());
        Assert.True(given.AbortOnConnectFail);
        Assert.Equal(5000, given.AsyncTimeout); // unchanged: the store set its own timeout on its clone
        Assert.True(await EventuallyAsync(async () => await ClientCountAsync() == clientsBefore, TimeSpan.FromSeconds(10)), "the store's own connection was not closed");
    }

    [Fact]
    public async Task FirstCall_ServerOlderThanRedis62_UnavailableNamingTheMinimum()
    {
        // The server's version as StackExchange.Redis knows it: with INFO unavailable it takes DefaultVersion.
        var options = ConfigurationOptions.Parse(server.Configuration);
        options.CommandMap = CommandMap.Create(new HashSet<string> { "INFO" }, available: false);
        options.DefaultVersion = new Version(5, 0, 14); // below 6: no HELLO, which would report the real version
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { ConfigurationOptions = options, SweepInterval = TimeSpan.Zero });

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await store.LoadAsync(SessionIds.Create(), NoTouch, default));

        Assert.Contains("needs Redis 6.2.0 or newer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("5.0.14", ex.Message, StringComparison.Ordinal);
    }

    private static async Task AssertWorksAsync(RedisSessionStore store)
    {
        var id = SessionIds.Create();
        Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(Create(id, attributes: [("a", "1")]), default)).Status);
        Assert.Equal("1", Text((await store.LoadAsync(id, NoTouch, default))!.Attributes["a"]));
    }

    private async Task<int> ClientCountAsync() =>
        (await server.CliAsync("CLIENT", "LIST")).Split('\n').Count(l => l.Contains("SE.Redis", StringComparison.Ordinal));

    private static IConnectionMultiplexer Watch(IConnectionMultiplexer inner)
    {
        var proxy = DispatchProxy.Create<IConnectionMultiplexer, WatchingProxy>();
        ((WatchingProxy)(object)proxy).Inner = inner;
        return proxy;
    }
}

/// <summary>Passes every call to a real multiplexer and records the member's name (a decorator, not a mock).</summary>
public class WatchingProxy : DispatchProxy
{
    private readonly List<string> _calls = [];

    public IConnectionMultiplexer Inner { get; set; } = null!;

    public static IReadOnlyList<string> Calls(IConnectionMultiplexer proxy)
    {
        var watching = (WatchingProxy)(object)proxy;
        lock (watching._calls)
        {
            return [.. watching._calls];
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        lock (_calls)
        {
            _calls.Add(targetMethod.Name);
        }

        try
        {
            return targetMethod.Invoke(Inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
