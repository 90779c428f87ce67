using Microsoft.Extensions.DependencyInjection;

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
    public void Constructor_Default_RegistersAndSelectsInMemory()
    {
        var options = new SticklessOptions();

        Assert.Equal(SticklessOptions.InMemoryStoreName, options.Store);
        Assert.Contains(SticklessOptions.InMemoryStoreName, options.StoreNames);
        Assert.True(options.TryGetStoreFactory("inmemory", out _));
    }

    [Fact]
    public void Validate_EverythingWrong_ListsEveryError()
    {
        var options = new SticklessOptions
        {
            Store = "Nope",
            StoreTimeout = TimeSpan.Zero,
            Policy = new SessionPolicy
            {
                IdleTimeout = TimeSpan.Zero,
                AbsoluteTimeout = TimeSpan.FromSeconds(-1),
                TouchFraction = 1.5,
                RotationGrace = TimeSpan.FromMinutes(5),
                MaxUpdateAttempts = 0,
                Limits = new SessionLimits { MaxNameLength = 0, MaxAttributeBytes = 0, MaxAttributeCount = 0, MaxTotalBytes = -1 },
            },
        };
        var errors = new List<string>();

        options.Validate(errors);

        string[] expected =
        [
            "Store is 'Nope'", "StoreTimeout", "IdleTimeout must be positive", "AbsoluteTimeout", "TouchFraction",
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
    public void Validate_UnknownStore_ListsRegisteredStores()
    {
        var errors = new List<string>();

        new SticklessOptions { Store = "Redis" }.Validate(errors);

        Assert.Contains(errors, e => e.Contains("registered stores: InMemory", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NullPolicy_ReportsIt()
    {
        var errors = new List<string>();

        new SticklessOptions { Policy = null! }.Validate(errors);

        Assert.Equal(["Policy must not be null."], errors);
    }

    [Fact]
    public async Task InMemoryFactory_FromServices_UsesRegisteredClockAndObservers()
    {
        var time = new ManualTimeProvider();
        var observer = new RecordingObserver();
        using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<ISessionLifecycleObserver>(observer)
            .BuildServiceProvider();
        Assert.True(new SticklessOptions().TryGetStoreFactory(SticklessOptions.InMemoryStoreName, out var factory));

        using var store = Assert.IsType<InMemorySessionStore>(factory(services));
        var id = SessionIds.Create();
        await store.CommitAsync(new SessionChangeSet { SessionId = id, IsNew = true, Now = time.GetUtcNow(), IdleTimeout = TimeSpan.FromMinutes(1), AbsoluteExpiry = time.GetUtcNow().AddHours(1) }, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("InMemory", store.Name);
        Assert.Equal(1, time.ActiveTimers);
        Assert.Equal([SessionEventKind.Created, SessionEventKind.Expired], observer.Events.Select(e => e.Kind));
    }

    [Fact]
    public void InMemoryFactory_EmptyServices_FallsBackToSystemClock()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        Assert.True(new SticklessOptions().TryGetStoreFactory(SticklessOptions.InMemoryStoreName, out var factory));

        using var store = Assert.IsType<InMemorySessionStore>(factory(services));

        Assert.Equal(0, store.SessionCount);
    }
}
