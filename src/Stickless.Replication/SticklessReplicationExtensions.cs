using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stickless;
using Stickless.Replication;
using Stickless.Replication.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the replicated session store on the builder <c>AddStickless</c> returns.</summary>
public static class SticklessReplicationExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>
    /// Registers the replicated store under the name <c>Replication</c> without selecting it (<c>Stickless:Store=Replication</c>
    /// selects it). Its options are bound from the <c>Replication</c> subsection of the Stickless section
    /// (<c>Stickless:Replication:NodeId</c>, <c>Peers:N:NodeId</c>, <c>Peers:N:Url</c>, <c>Secret</c>, <c>Mode</c>, <c>Ack</c>,
    /// timeouts as <c>00:00:00.500</c>, ...), then <paramref name="configure"/> runs; every error is listed when the store is created (only when it is the selected store).
    /// </summary>
    /// <remarks>
    /// Also registers an <see cref="IStartupFilter"/> that maps the peer endpoint <c>/stickless/peer</c> in front of the
    /// app's pipeline, on the app's own Kestrel (peers speak HTTP/2 cleartext with prior knowledge to <c>http://</c> URLs,
    /// which Kestrel's default <c>Http1AndHttp2</c> endpoints accept), and sets the owner routing cookie when
    /// <see cref="ReplicatedSessionStoreOptions.RouteCookieName"/> is set. The filter does nothing when another store is
    /// selected. The store's loops (heartbeats, transfer, sweep) start and stop with the host (<see cref="ISessionStoreLifecycle"/>).
    /// </remarks>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddReplication(this ISticklessBuilder builder, Action<ReplicatedSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreOptions(ReplicatedSessionStore.StoreName, configure);
        builder.Services.TryAddSingleton(static services => new ReplicatedSessionStore(
            services.GetRequiredService<IOptions<ReplicatedSessionStoreOptions>>().Value,
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<IMeterFactory>(),
            services.GetService<SessionEventPublisher>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ReplicationStartupFilter>());
        return builder.AddStore(ReplicatedSessionStore.StoreName, static services => services.GetRequiredService<ReplicatedSessionStore>());
    }

    /// <summary>Registers the replicated store (see <see cref="AddReplication"/>) and selects it.</summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder UseReplication(this ISticklessBuilder builder, Action<ReplicatedSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddReplication(configure).UseStore(ReplicatedSessionStore.StoreName);
    }
}
