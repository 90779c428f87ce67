using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stickless.Redis;

namespace Stickless;

/// <summary>Registers the Redis session store on <see cref="SticklessOptions"/>.</summary>
public static class SticklessRedisExtensions
{
    /// <summary>The configuration section the store's options are bound from.</summary>
    public const string ConfigurationSection = "Stickless:" + RedisSessionStoreOptions.SectionName;

    /// <summary>
    /// Registers the Redis store with the connection string <paramref name="configuration"/> and selects it:
    /// <c>services.AddStickless(o =&gt; o.UseRedis("127.0.0.1:6379,password=…"))</c>.
    /// </summary>
    /// <param name="options">The Stickless options.</param>
    /// <param name="configuration">A StackExchange.Redis connection string (see <see cref="RedisSessionStoreOptions.Configuration"/>).</param>
    /// <param name="configure">Further store settings (key prefix, sweeper…), optional.</param>
    public static SticklessOptions UseRedis(this SticklessOptions options, string configuration, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        options.AddRedis(o =>
        {
            o.Configuration = configuration;
            configure?.Invoke(o);
        });
        options.Store = RedisSessionStore.StoreName;
        return options;
    }

    /// <summary>
    /// Registers the Redis store without selecting it (<c>Stickless:Store=Redis</c> selects it). Its options are
    /// bound from the section <c>Stickless:Redis</c> of the app's <see cref="IConfiguration"/> by the standard
    /// configuration binder, then <paramref name="configure"/> runs; the store is created when first needed.
    /// </summary>
    /// <param name="options">The Stickless options.</param>
    /// <param name="configure">Further store settings, optional.</param>
    public static SticklessOptions AddRedis(this SticklessOptions options, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddStore(RedisSessionStore.StoreName, services =>
        {
            var storeOptions = new RedisSessionStoreOptions();
            services.GetService<IConfiguration>()?.GetSection(ConfigurationSection).Bind(storeOptions);
            configure?.Invoke(storeOptions);
            return ActivatorUtilities.CreateInstance<RedisSessionStore>(services, Options.Create(storeOptions));
        });
        return options;
    }
}
