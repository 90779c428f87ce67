using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stickless.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis session store on the builder <c>AddStickless</c> returns.</summary>
public static class SticklessRedisExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>
    /// Registers the Redis store with the connection string <paramref name="configuration"/> and selects it:
    /// <c>services.AddStickless().UseRedis("127.0.0.1:6379,password=…")</c>.
    /// </summary>
    /// <param name="builder">The Stickless builder.</param>
    /// <param name="configuration">A StackExchange.Redis connection string (see <see cref="RedisSessionStoreOptions.Configuration"/>).</param>
    /// <param name="configure">Further store settings (key prefix, sweeper…), optional.</param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder UseRedis(this ISticklessBuilder builder, string configuration, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedis(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Registers the Redis store and selects it; the connection is whatever <paramref name="configure"/> (or the
    /// <c>Stickless:Redis</c> section) names: a connection string, <c>ConfigurationOptions</c>, a multiplexer factory, a
    /// keyed <c>IConnectionMultiplexer</c> from DI, or else the unkeyed one registered in DI (see <see cref="RedisSessionStoreOptions"/>).
    /// </summary>
    /// <param name="builder">The Stickless builder.</param>
    /// <param name="configure">The store's settings, optional.</param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder UseRedis(this ISticklessBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRedis(configure).UseStore(RedisSessionStore.StoreName);
    }

    /// <summary>
    /// Registers the Redis store without selecting it (<c>Stickless:Store=Redis</c> selects it). Its options are bound
    /// from the <c>Redis</c> subsection of the Stickless section (<c>Stickless:Redis:Configuration</c>, <c>KeyPrefix</c>,
    /// <c>OperationTimeout</c> and <c>WaitTimeout</c> as time spans such as <c>00:00:00.500</c>, ...), then
    /// <paramref name="configure"/> runs; they are validated, every error listed, when the store is created: only
    /// when selected (as the host starts), and its background work (event subscription, expiry sweeper) runs with the host.
    /// </summary>
    /// <param name="builder">The Stickless builder.</param>
    /// <param name="configure">Further store settings, optional.</param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddRedis(this ISticklessBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreOptions(RedisSessionStore.StoreName, configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSessionStoreOptions>, RedisConnectionOptionsValidator>());
        return builder.AddStore(RedisSessionStore.StoreName, static services => ActivatorUtilities.CreateInstance<RedisSessionStore>(services));
    }
}
