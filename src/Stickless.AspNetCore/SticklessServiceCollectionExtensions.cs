using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stickless;
using Stickless.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Stickless: options, the session store, id resolvers and the middleware's services.</summary>
public static class SticklessServiceCollectionExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>Adds Stickless with default options, then runs <paramref name="configure"/>.</summary>
    /// <returns>A builder on which store packages register themselves (<c>.AddRedis()</c>, <c>.UseRedis("host:6379")</c>, ...).</returns>
    /// <remarks>
    /// Registers <see cref="ISessionStore"/> as a singleton created once by the factory of the store named by
    /// <see cref="SticklessOptions.Store"/> (so other components can resolve it too); a <see cref="TimeProvider"/>
    /// (<see cref="TimeProvider.System"/> unless one is registered); a hosted service that runs the store's background
    /// work with the host; and validation of the options at start-up, with every error listed.
    /// </remarks>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddStickless(this IServiceCollection services, Action<SticklessHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddServices(services, section: null, configure);
    }

    /// <summary>
    /// Adds Stickless bound to a configuration <paramref name="section"/> (conventionally <c>Stickless</c>) by the configuration
    /// binder, then runs <paramref name="configure"/>. Keys are the properties of <see cref="SticklessHttpOptions"/>:
    /// <c>Store</c>, <c>StoreTimeout</c>, <c>IdleTimeout</c>, <c>AbsoluteTimeout</c>, <c>TouchFraction</c>, <c>RotationGrace</c>,
    /// <c>MaxUpdateAttempts</c>, <c>FailurePolicy</c>, <c>HeaderName</c>, <c>RetryAfterSeconds</c>, <c>Cookie:Name</c> (and
    /// <c>HttpOnly</c>, <c>SameSite</c>, <c>SecurePolicy</c>, <c>Path</c>, <c>Domain</c>, <c>Persistent</c>, <c>MaxLength</c>),
    /// <c>Limits:MaxNameLength</c> (and <c>MaxAttributeBytes</c>, <c>MaxAttributeCount</c>, <c>MaxTotalBytes</c>),
    /// <c>CircuitBreaker:*</c>. Time spans are written as the binder reads them (<c>00:00:02</c>). Values that cannot be
    /// read are reported with the other validation errors at start-up. Store packages read their own subsection
    /// (<c>Stickless:Redis</c>, ...).
    /// </summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddStickless(this IServiceCollection services, IConfiguration section, Action<SticklessHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        return AddServices(services, section, configure);
    }

    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    private static ISticklessBuilder AddServices(IServiceCollection services, IConfiguration? section, Action<SticklessHttpOptions>? configure)
    {
        var builder = services.AddSticklessCore(section, configure);
        services.AddMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionIdResolver, HeaderSessionIdResolver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionIdResolver, CookieSessionIdResolver>());
        services.TryAddSingleton<SticklessMetrics>();
        services.TryAddSingleton<SessionStoreClient>();
        services.TryAddSingleton<SessionCommitPipeline>();
        services.TryAddSingleton<ISessionManager, SessionManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, SessionStoreUnavailableExceptionHandler>());
        services.TryAddSingleton<SticklessRuntime>();
        return builder;
    }
}
