using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stickless;
using Stickless.Memcached;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the memcached session store on the builder <c>AddStickless</c> returns.</summary>
public static class SticklessMemcachedExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>
    /// Registers the memcached store and selects it:
    /// <c>services.AddStickless().UseMemcached(o => { o.Servers = ["10.0.0.5:11211", "10.0.0.6:11211"]; o.HashKey = secret; o.Backup = true; })</c>.
    /// </summary>
    /// <param name="builder">The Stickless builder.</param>
    /// <param name="configure">The store's settings (servers, backup, hash key, timeouts), applied after <c>Stickless:Memcached</c>.</param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder UseMemcached(this ISticklessBuilder builder, Action<MemcachedSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMemcached(configure).UseStore(MemcachedSessionStore.StoreName);
    }

    /// <summary>
    /// Registers the memcached store without selecting it. Its options are bound from the <c>Memcached</c> subsection of the
    /// Stickless section (<c>Stickless:Memcached:Servers:0=10.0.0.5:11211 2 cache-a</c>, <c>Backup=true</c>,
    /// <c>HashKey</c>, <c>OperationTimeout=00:00:00.300</c>, ...), then <paramref name="configure"/> runs; every error is
    /// listed when the store is created (at start, when it is the selected one). Config-driven apps call this once and pick the store with <c>Stickless:Store=Memcached</c>.
    /// </summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddMemcached(this ISticklessBuilder builder, Action<MemcachedSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreOptions(MemcachedSessionStore.StoreName, configure);
        return builder.AddStore(MemcachedSessionStore.StoreName, static services => new MemcachedSessionStore(
            services.GetRequiredService<IOptions<MemcachedSessionStoreOptions>>().Value,
            services.GetService<TimeProvider>(),
            services.GetService<SessionEventPublisher>(),
            services.GetService<ILogger<MemcachedSessionStore>>()));
    }
}
