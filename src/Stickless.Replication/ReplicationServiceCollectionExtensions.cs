using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stickless;
using Stickless.Replication;
using Stickless.Replication.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the replicated store's services to an app.</summary>
public static class ReplicationServiceCollectionExtensions
{
    /// <summary>
    /// Adds what the replicated store needs in the app: its options bound from <paramref name="section"/>
    /// (conventionally <c>Stickless:Replication</c>) and <paramref name="configure"/>, validated at start with every
    /// error listed; the store as a singleton (created only when it is the selected store); a hosted service that
    /// starts its loops with the host and stops them; and an <see cref="IStartupFilter"/> that maps the peer endpoint
    /// <c>/stickless/peer</c> in front of the app's pipeline, on the app's own Kestrel (HTTP/2 cleartext with prior
    /// knowledge between peers on <c>http://</c>, so the app's endpoints must allow HTTP/2: Kestrel's default
    /// <c>Http1AndHttp2</c> does).
    /// </summary>
    public static IServiceCollection AddSticklessReplication(this IServiceCollection services, IConfiguration? section, Action<ReplicatedSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ReplicatedSessionStoreOptions>();
        if (section is not null)
        {
            builder.Bind(section);
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicatedSessionStoreOptions>, ReplicatedSessionStoreOptionsValidator>());
        services.TryAddSingleton(sp => new ReplicatedSessionStore(
            sp.GetRequiredService<IOptions<ReplicatedSessionStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<SessionEventPublisher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReplicationHostedService>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ReplicationStartupFilter>());
        return services;
    }
}
