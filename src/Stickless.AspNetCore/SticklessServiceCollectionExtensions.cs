using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stickless;
using Stickless.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Stickless: options, the session store, id resolvers and the middleware's services.</summary>
public static class SticklessServiceCollectionExtensions
{
    /// <summary>Adds Stickless with default options, then runs <paramref name="configure"/>.</summary>
    /// <remarks>
    /// Registers <see cref="ISessionStore"/> as a singleton created once by the factory of
    /// <see cref="SticklessOptions.Store"/>, so other components can resolve it too; a <see cref="TimeProvider"/>
    /// (<see cref="TimeProvider.System"/> unless one is registered); and validation of the options at start-up.
    /// </remarks>
    public static IServiceCollection AddStickless(this IServiceCollection services, Action<SticklessHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SticklessHttpOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return AddServices(services);
    }

    /// <summary>
    /// Adds Stickless bound to a configuration <paramref name="section"/> (conventionally <c>Stickless</c>), then runs
    /// <paramref name="configure"/>. Keys: <c>Store</c>, <c>StoreTimeout</c>, <c>IdleTimeout</c>, <c>AbsoluteTimeout</c>,
    /// <c>TouchFraction</c>, <c>RotationGrace</c>, <c>MaxUpdateAttempts</c>, <c>FailurePolicy</c>, <c>HeaderName</c>,
    /// <c>RetryAfterSeconds</c>, <c>Cookie:Name</c> (and <c>HttpOnly</c>, <c>SameSite</c>, <c>SecurePolicy</c>, <c>Path</c>,
    /// <c>Domain</c>, <c>Persistent</c>, <c>MaxLength</c>), <c>Limits:MaxNameLength</c> (and <c>MaxAttributeBytes</c>,
    /// <c>MaxAttributeCount</c>, <c>MaxTotalBytes</c>). A value that cannot be parsed is reported with the other
    /// validation errors at start-up.
    /// </summary>
    public static IServiceCollection AddStickless(this IServiceCollection services, IConfiguration section, Action<SticklessHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<SticklessHttpOptions>().Configure(options => SticklessHttpOptionsBinder.Bind(section, options));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return AddServices(services);
    }

    private static IServiceCollection AddServices(IServiceCollection services)
    {
        services.AddOptions<SticklessHttpOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SticklessHttpOptions>, SticklessHttpOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SessionEventPublisher(sp.GetServices<ISessionLifecycleObserver>(), sp.GetService<ILogger<SessionEventPublisher>>()));
        services.TryAddSingleton<SticklessOptions>(sp => sp.GetRequiredService<IOptions<SticklessHttpOptions>>().Value);
        services.TryAddSingleton(CreateStore);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionIdResolver, HeaderSessionIdResolver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionIdResolver, CookieSessionIdResolver>());
        services.TryAddSingleton<SticklessMetrics>();
        services.TryAddSingleton<SticklessRuntime>();
        return services;
    }

    // Resolved once: the selected store's factory runs when the store is first needed.
    private static ISessionStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SticklessHttpOptions>>().Value;
        if (!options.TryGetStoreFactory(options.Store, out var factory))
        {
            throw new InvalidOperationException($"Stickless: the store '{options.Store}' is not registered; registered stores: {string.Join(", ", options.StoreNames.Order())}.");
        }

        return factory(services);
    }
}
