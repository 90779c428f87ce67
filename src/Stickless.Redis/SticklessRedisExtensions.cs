using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stickless;
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
    /// <param name="configuration">A connection string (see <see cref="RedisSessionStoreOptions.Configuration"/>).</param>
    /// <param name="configure">Further store settings (key prefix, sweeper…), optional.</param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder UseRedis(this ISticklessBuilder builder, string configuration, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder
            .AddRedis(options =>
            {
                options.Configuration = configuration;
                configure?.Invoke(options);
            })
            .UseStore(RedisSessionStore.StoreName);
    }

    /// <summary>
    /// Registers the Redis store without selecting it. Its options are bound from the <c>Redis</c> subsection of the
    /// Stickless section (<c>Stickless:Redis:Configuration</c>, <c>KeyPrefix</c>, <c>WaitForReplicas</c>, <c>WaitTimeout</c>
    /// as <c>00:00:00.500</c>, ...), then <paramref name="configure"/> runs; they are validated at start-up. Config-driven
    /// apps call this once and pick the store with <c>Stickless:Store=Redis</c>.
    /// </summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddRedis(this ISticklessBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreOptions(RedisSessionStore.StoreName, configure);
        return builder.AddStore(RedisSessionStore.StoreName, static services => new RedisSessionStore(
            services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value,
            services.GetService<SessionEventPublisher>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<IMeterFactory>()));
    }
}
