using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stickless.Replication.Hosting;

/// <summary>Starts the replicated store with the host (when it is the selected store) and stops it, saying Leaving first.</summary>
internal sealed class ReplicationHostedService(IServiceProvider services) : IHostedService
{
    private ReplicatedSessionStore? _store;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store = services.GetService<ISessionStore>() as ReplicatedSessionStore;
        return _store?.StartAsync(cancellationToken) ?? Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _store?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
