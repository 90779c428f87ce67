using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stickless;

/// <summary>
/// Store-independent Stickless settings: which store, the session policy, the per-call store timeout.
/// Store packages add themselves with extension methods (for example <c>UseRedis</c>); the ASP.NET Core
/// package derives its HTTP settings (cookie, header, failure policy) from this class.
/// </summary>
public class SticklessOptions
{
    /// <summary>The name of the in-memory store, the default.</summary>
    public const string InMemoryStoreName = "InMemory";

    private readonly Dictionary<string, Func<IServiceProvider, ISessionStore>> _stores = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates options with the in-memory store registered under <see cref="InMemoryStoreName"/> and selected.</summary>
    public SticklessOptions()
    {
        AddStore(InMemoryStoreName, CreateInMemoryStore);
    }

    /// <summary>The name of the store to use; one of <see cref="StoreNames"/>. Default <c>InMemory</c>.</summary>
    public string Store { get; set; } = InMemoryStoreName;

    /// <summary>Timeouts, touch throttle, rotation and limits.</summary>
    public SessionPolicy Policy { get; set; } = new();

    /// <summary>The longest one store call may take before it counts as a failure. Default 2 seconds.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The names of the stores registered so far.</summary>
    public IEnumerable<string> StoreNames => _stores.Keys;

    /// <summary>Registers (or replaces) a store under <paramref name="name"/>; does not select it.</summary>
    public SticklessOptions AddStore(string name, Func<IServiceProvider, ISessionStore> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        _stores[name] = factory;
        return this;
    }

    /// <summary>Finds the factory of the store named <paramref name="name"/>.</summary>
    public bool TryGetStoreFactory(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Func<IServiceProvider, ISessionStore>? factory) =>
        _stores.TryGetValue(name, out factory);

    /// <summary>
    /// Builds the in-memory store from the services: the registered <see cref="TimeProvider"/> (else the system
    /// clock), the registered <see cref="SessionEventPublisher"/> (else one over the registered
    /// <see cref="ISessionLifecycleObserver"/> services) and a logger when logging is registered.
    /// The caller (the middleware package) calls the factory once and keeps the store as a singleton.
    /// </summary>
    private static InMemorySessionStore CreateInMemoryStore(IServiceProvider services)
    {
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var events = services.GetService<SessionEventPublisher>()
            ?? new SessionEventPublisher(services.GetServices<ISessionLifecycleObserver>(), services.GetService<ILogger<SessionEventPublisher>>());
        return new InMemorySessionStore(time, events, services.GetService<ILogger<InMemorySessionStore>>());
    }

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public virtual void Validate(ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Store))
        {
            errors.Add($"{nameof(Store)} must name a store.");
        }
        else if (!_stores.ContainsKey(Store))
        {
            errors.Add($"{nameof(Store)} is '{Store}', which is not registered; registered stores: {string.Join(", ", _stores.Keys.Order())}. Add the store's package and call its Use/Add method (for example UseRedis).");
        }

        if (StoreTimeout <= TimeSpan.Zero || StoreTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(StoreTimeout)} must be between 0 and 5 minutes (was {StoreTimeout}).");
        }

        if (Policy is null)
        {
            errors.Add($"{nameof(Policy)} must not be null.");
        }
        else
        {
            Policy.Validate(errors);
        }
    }
}
