using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Stickless.Redis.Tests.Store;

public sealed class SticklessRedisExtensionsTests
{
    [Fact]
    public async Task UseRedis_ConnectionString_RegistersAndSelectsRedis()
    {
        await using var services = new ServiceCollection()
            .AddSticklessCore()
            .UseRedis("127.0.0.1:6390,password=secret", o => o.SweepInterval = TimeSpan.Zero)
            .Services.BuildServiceProvider();

        Assert.Equal("Redis", services.GetRequiredService<IOptions<SticklessOptions>>().Value.Store);
        var store = Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());
        Assert.Equal("Redis", store.Name);
    }

    [Fact]
    public async Task AddRedis_Section_BindsTheRedisSubsectionWithoutSelectingIt()
    {
        var section = Section(("Redis:Configuration", "127.0.0.1:6391"), ("Redis:WaitForReplicas", "2"), ("Redis:WaitTimeout", "00:00:00.250"), ("Redis:WaitFailurePolicy", "AcceptAndCount"));
        await using var services = new ServiceCollection().AddSticklessCore(section).AddRedis(o => o.SweepInterval = TimeSpan.Zero).Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;

        Assert.Equal(SticklessOptions.InMemoryStoreName, services.GetRequiredService<IOptions<SticklessOptions>>().Value.Store);
        Assert.Equal("127.0.0.1:6391", options.Configuration);
        Assert.Equal(2, options.WaitForReplicas);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WaitTimeout);
        Assert.Equal(RedisWaitFailurePolicy.AcceptAndCount, options.WaitFailurePolicy);
    }

    [Fact]
    public async Task AddRedis_MissingAndUnreadableSettings_ListsEveryErrorNamingTheKeys()
    {
        var section = Section(("Redis:WaitTimeout", "soon"), ("Redis:WaitFailurePolicy", "Maybe"));
        await using var services = new ServiceCollection().AddSticklessCore(section).AddRedis().Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value);

        Assert.Contains("Stickless:Redis:WaitTimeout = 'soon'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Stickless:Redis:WaitFailurePolicy = 'Maybe'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Stickless:Redis has no connection", ex.Message, StringComparison.Ordinal);
    }

    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Stickless:" + v.Key, v.Value))).Build().GetSection("Stickless");
}
