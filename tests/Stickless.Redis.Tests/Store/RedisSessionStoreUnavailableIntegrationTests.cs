using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

public sealed class RedisSessionStoreUnavailableIntegrationTests
{
    [Fact]
    public async Task LoadAsync_NothingListening_ThrowsUnavailableWithinTimeout()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = $"127.0.0.1:{port},connectTimeout=500", OperationTimeout = TimeSpan.FromSeconds(1), SweepInterval = TimeSpan.Zero });
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await store.LoadAsync(SessionIds.Create(), NoTouch, default));
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await store.PingAsync(default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task LoadAsync_ServerNeverAnswers_ThrowsUnavailableAfterOperationTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections (the kernel does) but never answers
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = $"127.0.0.1:{port}", OperationTimeout = TimeSpan.FromMilliseconds(500), SweepInterval = TimeSpan.Zero });
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await store.LoadAsync(SessionIds.Create(), NoTouch, default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RedisSessionStore(new RedisSessionStoreOptions { Configuration = "127.0.0.1:1", ConfigurationOptions = new(), KeyPrefix = "a{b", OperationTimeout = TimeSpan.Zero }));

        Assert.Contains("set only one of ConfigurationOptions, Configuration", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KeyPrefix", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OperationTimeout", ex.Message, StringComparison.Ordinal);
    }
}
