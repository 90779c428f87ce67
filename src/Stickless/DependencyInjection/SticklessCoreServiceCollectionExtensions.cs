using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stickless;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the store-independent part of Stickless: its options, the store registry with the in-memory store, the
/// selected <see cref="ISessionStore"/> and the hosted service that runs the store's background work. The ASP.NET Core
/// package's <c>AddStickless</c> calls this; a worker without HTTP can call it directly.
/// </summary>
public static class SticklessCoreServiceCollectionExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>Adds the core with <see cref="SticklessOptions"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The <c>Stickless</c> configuration section, or null.</param>
    /// <param name="configure">Applied after the section, optional.</param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddSticklessCore(this IServiceCollection services, IConfiguration? section = null, Action<SticklessOptions>? configure = null) =>
        services.AddSticklessCore<SticklessOptions>(section, configure);

    /// <summary>
    /// Adds the core with <typeparamref name="TOptions"/> as the options type (a package that derives more settings from
    /// <see cref="SticklessOptions"/> registers its own type here): bound from <paramref name="section"/> by the
    /// configuration binder, then <paramref name="configure"/>, then the store packages' selections (<c>UseRedis</c>...),
    /// validated at start-up with every error listed. <see cref="SticklessOptions"/> resolves to the same instance.
    /// </summary>
    /// <remarks>
    /// Also registers: a <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one is registered), the
    /// <see cref="SessionEventPublisher"/> over every registered <see cref="ISessionLifecycleObserver"/>, the in-memory
    /// store under <c>InMemory</c>, <see cref="ISessionStore"/> as the selected store (created once, when first needed; behind a
    /// <see cref="NearCacheSessionStore"/> when <c>NearCache:Enabled</c>),
    /// and a hosted service that creates it as the host starts and runs its background work until the host stops.
    /// </remarks>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddSticklessCore<TOptions>(this IServiceCollection services, IConfiguration? section, Action<TOptions>? configure)
        where TOptions : SticklessOptions, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions(section, configure, "Stickless");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TOptions>, SticklessOptionsSetup<TOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, SticklessOptionsValidator<TOptions>>());
        if (typeof(TOptions) != typeof(SticklessOptions))
        {
            services.TryAddSingleton<IOptions<SticklessOptions>>(sp => new OptionsWrapper<SticklessOptions>(sp.GetRequiredService<IOptions<TOptions>>().Value));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SessionEventPublisher(sp.GetServices<ISessionLifecycleObserver>(), sp.GetService<ILogger<SessionEventPublisher>>()));
        services.TryAddSingleton(SelectStore);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SessionStoreHostedService>());

        var builder = new SticklessBuilder(services, section);
        if (!services.Any(d => d.ServiceType == typeof(SessionStoreRegistration) && d.ImplementationInstance is SessionStoreRegistration { Name: SticklessOptions.InMemoryStoreName }))
        {
            builder.AddStore(SticklessOptions.InMemoryStoreName, static sp => new InMemorySessionStore(
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<SessionEventPublisher>(),
                sp.GetService<ILogger<InMemorySessionStore>>()));
        }

        return builder;
    }

    // Resolved once: only the selected store is ever created (behind the near cache when it is enabled).
    private static ISessionStore SelectStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SticklessOptions>>().Value;
        var store = CreateSelectedStore(services, options.Store);
        if (!options.NearCache.Enabled)
        {
            return store;
        }

        if (store is not ISessionInvalidationSource)
        {
            throw new InvalidOperationException($"Stickless: NearCache:Enabled is true, but the {store.Name} store publishes no invalidations, so no node could tell when its copies are stale. Stores that do: {SticklessOptions.InMemoryStoreName}, Redis. Turn the near cache off for this store.");
        }

        return new NearCacheSessionStore(
            store,
            options.NearCache,
            services.GetRequiredService<TimeProvider>(),
            services.GetService<ILogger<NearCacheSessionStore>>(),
            services.GetService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    private static ISessionStore CreateSelectedStore(IServiceProvider services, string name)
    {
        SessionStoreRegistration? selected = null;
        var known = new List<string>();
        foreach (var registration in services.GetServices<SessionStoreRegistration>())
        {
            known.Add(registration.Name);
            if (string.Equals(registration.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                selected = registration;
            }
        }

        if (selected is null)
        {
            throw new InvalidOperationException($"Stickless: the store '{name}' is not registered; registered stores: {string.Join(", ", known.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase))}.");
        }

        return selected.Factory(services);
    }
}
