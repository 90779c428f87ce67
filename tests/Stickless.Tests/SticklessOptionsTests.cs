using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Stickless.Tests;

public sealed class SticklessOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        var errors = new List<string>();

        new SticklessOptions().Validate(errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryError()
    {
        var options = new SticklessOptions
        {
            Store = " ",
            StoreTimeout = TimeSpan.Zero,
            IdleTimeout = TimeSpan.Zero,
            AbsoluteTimeout = TimeSpan.FromSeconds(-1),
            TouchFraction = 1.5,
            RotationGrace = TimeSpan.FromMinutes(5),
            MaxUpdateAttempts = 0,
        };
        options.Limits.MaxNameLength = 0;
        options.Limits.MaxAttributeBytes = 0;
        options.Limits.MaxAttributeCount = 0;
        options.Limits.MaxTotalBytes = -1;
        var errors = new List<string>();

        options.Validate(errors);

        string[] expected =
        [
            "Store must name a store", "StoreTimeout", "IdleTimeout must be positive", "AbsoluteTimeout", "TouchFraction",
            "RotationGrace", "MaxUpdateAttempts", "MaxNameLength", "MaxAttributeBytes must be positive",
            "MaxAttributeCount", "MaxTotalBytes",
        ];
        Assert.Equal(expected.Length, errors.Count);
        foreach (var fragment in expected)
        {
            Assert.Contains(errors, e => e.Contains(fragment, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AddSticklessCore_Section_BindsFlatKeysWithTheConfigurationBinder()
    {
        using var services = new ServiceCollection()
            .AddSticklessCore(Section(("StoreTimeout", "00:00:00.500"), ("IdleTimeout", "00:30:00"), ("TouchFraction", "0.25"), ("MaxUpdateAttempts", "7"), ("Limits:MaxAttributeCount", "12")))
            .Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<SticklessOptions>>().Value;

        Assert.Equal(TimeSpan.FromMilliseconds(500), options.StoreTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Policy.IdleTimeout);
        Assert.Equal(0.25, options.Policy.TouchFraction);
        Assert.Equal(7, options.Policy.MaxUpdateAttempts);
        Assert.Equal(12, options.Policy.Limits.MaxAttributeCount);
    }

    [Fact]
    public void AddSticklessCore_UnreadableAndInvalidValues_ListsEveryErrorInOneFailure()
    {
        using var services = new ServiceCollection()
            .AddSticklessCore(Section(("Store", "Nope"), ("IdleTimeout", "soon"), ("StoreTimeout", "x"), ("TouchFraction", "2"), ("Limits:MaxAttributeCount", "many")))
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SticklessOptions>>().Value);

        foreach (var expected in new[] { "Stickless:IdleTimeout = 'soon'", "Stickless:StoreTimeout = 'x'", "Stickless:Limits:MaxAttributeCount = 'many'", "TouchFraction", "Store is 'Nope'", "registered stores: InMemory" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UseStore_AfterSection_WinsOverTheSection()
    {
        using var services = new ServiceCollection()
            .AddSticklessCore(Section(("Store", "InMemory")))
            .AddStore("Other", sp => new InMemorySessionStore(TimeProvider.System, SessionEventPublisher.None))
            .UseStore("Other")
            .Services.BuildServiceProvider();

        Assert.Equal("Other", services.GetRequiredService<IOptions<SticklessOptions>>().Value.Store);
    }

    [Fact]
    public async Task InMemoryStore_FromServices_UsesRegisteredClockAndObserversAndSweepsOnceStarted()
    {
        var time = new ManualTimeProvider();
        var observer = new RecordingObserver();
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<ISessionLifecycleObserver>(observer)
            .AddSticklessCore()
            .Services.BuildServiceProvider();

        var store = Assert.IsType<InMemorySessionStore>(services.GetRequiredService<ISessionStore>());
        Assert.Equal(0, time.ActiveTimers);
        await store.StartAsync(CancellationToken.None);
        var id = SessionIds.Create();
        await store.CommitAsync(new SessionChangeSet { SessionId = id, IsNew = true, Now = time.GetUtcNow(), IdleTimeout = TimeSpan.FromMinutes(1), AbsoluteExpiry = time.GetUtcNow().AddHours(1) }, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("InMemory", store.Name);
        Assert.Equal(1, time.ActiveTimers);
        Assert.Equal([SessionEventKind.Created, SessionEventKind.Expired], observer.Events.Select(e => e.Kind));
        await store.StopAsync(CancellationToken.None);
        Assert.Equal(0, time.ActiveTimers);
    }

    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Stickless:" + v.Key, v.Value))).Build().GetSection("Stickless");
}
