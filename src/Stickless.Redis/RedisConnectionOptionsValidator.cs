using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>
/// The part of the options' validation that needs the application's services: a store told to use an
/// <see cref="IConnectionMultiplexer"/> from DI (keyed, or by naming no other connection) finds one registered.
/// Runs at start-up with <see cref="RedisSessionStoreOptions.Validate"/>, so every error is listed together.
/// </summary>
internal sealed class RedisConnectionOptionsValidator(IServiceProvider services) : IValidateOptions<RedisSessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionMultiplexerServiceKey) && options.ConnectionMultiplexerFactory is null
            && services.GetService<IServiceProviderIsKeyedService>() is { } keyed
            && !keyed.IsKeyedService(typeof(IConnectionMultiplexer), options.ConnectionMultiplexerServiceKey))
        {
            return ValidateOptionsResult.Fail(
                $"Stickless:Redis:{nameof(RedisSessionStoreOptions.ConnectionMultiplexerServiceKey)} is '{options.ConnectionMultiplexerServiceKey}', but no IConnectionMultiplexer is registered with that key (for example with AddKeyedRedisClient).");
        }

        if (options.UsesDefaultMultiplexer && services.GetService<IServiceProviderIsService>() is { } registered
            && !registered.IsService(typeof(IConnectionMultiplexer)))
        {
            return ValidateOptionsResult.Fail(
                "Stickless:Redis has no connection: set Stickless:Redis:Configuration (a connection string such as \"127.0.0.1:6379\"), " +
                "ConfigurationOptions, ConnectionMultiplexerFactory or ConnectionMultiplexerServiceKey, or register an IConnectionMultiplexer.");
        }

        return ValidateOptionsResult.Success;
    }
}
