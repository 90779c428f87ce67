using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stickless.Memcached.Ring;

namespace Stickless.Memcached.Tests.Store;

public sealed class SticklessMemcachedExtensionsTests
{
    [Fact]
    public void AddMemcached_FromConfiguration_BindsServersWeightsNamesBackupAndTimeouts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stickless:Store"] = "Memcached",
            ["Stickless:Memcached:Servers:0"] = "10.0.0.5:11211",
            ["Stickless:Memcached:Servers:1"] = "10.0.0.6:11212 2 cache-b",
            ["Stickless:Memcached:Nodes:0:Host"] = "10.0.0.7",
            ["Stickless:Memcached:Nodes:0:Name"] = "cache-c",
            ["Stickless:Memcached:Backup"] = "true",
            ["Stickless:Memcached:HashKey"] = "configured-hash-key-0123456789abcdef",
            ["Stickless:Memcached:OperationTimeout"] = "00:00:00.250",
            ["Stickless:Memcached:NameFormat"] = "Spymemcached",
        }).Build();
        var services = new ServiceCollection();
        services.AddStickless(configuration.GetSection("Stickless")).AddMemcached();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MemcachedSessionStoreOptions>>().Value;

        Assert.True(options.Backup);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OperationTimeout);
        Assert.Equal(KetamaNameFormat.Spymemcached, options.NameFormat);
        Assert.Equal(
            [new MemcachedServerAddress("10.0.0.5", 11211), new MemcachedServerAddress("10.0.0.6", 11212, 2, "cache-b"), new MemcachedServerAddress("10.0.0.7", 11211, 1, "cache-c")],
            options.ParseServers());
        Assert.Equal(["10.0.0.5:11211", "cache-b", "cache-c"], options.ParseServers().Select(s => s.RingName(options.NameFormat)));
        var store = Assert.IsType<MemcachedSessionStore>(provider.GetRequiredService<ISessionStore>());
        Assert.Equal(3, store.Servers.Count);
    }

    [Fact]
    public void AddMemcached_InvalidSettings_ListsEveryErrorWhenTheStoreIsCreated()
    {
        var services = new ServiceCollection();
        services.AddStickless().UseMemcached(o =>
        {
            o.Servers = ["no-port", "10.0.0.1:70000", "10.0.0.2:11211 0"];
            o.HashKey = "short";
            o.OperationTimeout = TimeSpan.Zero;
            o.Backup = true;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISessionStore>());

        Assert.Contains(error.Failures, f => f.Contains("no-port", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("invalid port", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("weight", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("HashKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OperationTimeout", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Servers must list", StringComparison.Ordinal));
    }

    [Fact]
    public void AddMemcached_NotSelected_NeverFailsTheStart()
    {
        var services = new ServiceCollection();
        services.AddStickless().AddMemcached();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemorySessionStore>(provider.GetRequiredService<ISessionStore>());
    }
}
