using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Stickless.Redis;

namespace Stickless;

/// <summary>Registers the Redis session store on <see cref="SticklessOptions"/>.</summary>
public static class SticklessRedisExtensions
{
    /// <summary>
    /// Registers the Redis store with the connection string <paramref name="configuration"/> and selects it:
    /// <c>services.AddStickless(o =&gt; o.UseRedis("127.0.0.1:6379,password=…"))</c>.
    /// </summary>
    /// <param name="options">The Stickless options.</param>
    /// <param name="configuration">A connection string (see <see cref="RedisSessionStoreOptions.Configuration"/>).</param>
    /// <param name="configure">Further store settings (key prefix, sweeper…), optional.</param>
    public static SticklessOptions UseRedis(this SticklessOptions options, string configuration, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        options.AddStore(RedisSessionStore.StoreName, sp => Create(sp, options, configuration, configure));
        options.Store = RedisSessionStore.StoreName;
        return options;
    }

    /// <summary>
    /// Registers the Redis store without selecting it; its connection string is read, when the store is
    /// first needed, from the setting <c>Stickless:Redis:Configuration</c> of the app's
    /// <see cref="IConfiguration"/>. Config-driven apps call this once and pick the store with
    /// <c>Stickless:Store=Redis</c>. The durability settings <c>Stickless:Redis:WaitForReplicas</c>,
    /// <c>WaitTimeout</c> and <c>WaitFailurePolicy</c> are read too (before <paramref name="configure"/>).
    /// </summary>
    /// <param name="options">The Stickless options.</param>
    /// <param name="configure">Further store settings, optional.</param>
    public static SticklessOptions AddRedis(this SticklessOptions options, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddStore(RedisSessionStore.StoreName, sp =>
        {
            var configuration = sp.GetService<IConfiguration>()?[RedisSessionStoreOptions.ConfigurationKey];
            if (string.IsNullOrWhiteSpace(configuration))
            {
                throw new InvalidOperationException($"Stickless:Store is Redis but {RedisSessionStoreOptions.ConfigurationKey} is not set (for example \"127.0.0.1:6379,password=…\").");
            }

            return Create(sp, options, configuration, configure);
        });
        return options;
    }

    private static RedisSessionStore Create(IServiceProvider services, SticklessOptions stickless, string configuration, Action<RedisSessionStoreOptions>? configure)
    {
        var storeOptions = new RedisSessionStoreOptions
        {
            Configuration = configuration,
            OperationTimeout = stickless.StoreTimeout,
        };
        if (services.GetService<IConfiguration>() is { } appConfiguration)
        {
            RedisSessionStoreConfiguration.Apply(appConfiguration, storeOptions);
        }

        configure?.Invoke(storeOptions);
        return new RedisSessionStore(
            storeOptions,
            services.GetService<SessionEventPublisher>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<IMeterFactory>());
    }
}
