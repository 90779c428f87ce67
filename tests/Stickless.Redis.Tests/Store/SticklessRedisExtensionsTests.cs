using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Stickless.Redis.Tests.Store;

public sealed class SticklessRedisExtensionsTests
{
    [Fact]
    public async Task UseRedis_ConnectionString_RegistersAndSelectsRedis()
    {
        var options = new SticklessOptions { StoreTimeout = TimeSpan.FromSeconds(3) };

        options.UseRedis("127.0.0.1:6390,password=secret", o => o.SweepInterval = TimeSpan.Zero);

        Assert.Equal("Redis", options.Store);
        Assert.True(options.TryGetStoreFactory("Redis", out var factory));
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var store = Assert.IsType<RedisSessionStore>(factory(services));
        Assert.Equal("Redis", store.Name);
    }

    [Fact]
    public async Task AddRedis_ConfigurationSetting_CreatesStoreWithoutSelectingIt()
    {
        var options = new SticklessOptions();
        options.AddRedis(o => o.SweepInterval = TimeSpan.Zero);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Stickless:Redis:Configuration"] = "127.0.0.1:6391" }).Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).BuildServiceProvider();

        Assert.Equal(SticklessOptions.InMemoryStoreName, options.Store);
        Assert.True(options.TryGetStoreFactory("Redis", out var factory));
        await using var store = Assert.IsType<RedisSessionStore>(factory(services));
    }

    [Fact]
    public async Task AddRedis_SettingMissing_ThrowsNamingTheSetting()
    {
        var options = new SticklessOptions().AddRedis();
        options.TryGetStoreFactory("Redis", out var factory);
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => factory!(services));

        Assert.Contains("Stickless:Redis:Configuration", ex.Message, StringComparison.Ordinal);
    }
}
