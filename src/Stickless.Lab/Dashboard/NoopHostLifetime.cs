using Microsoft.Extensions.Hosting;

namespace Stickless.Lab.Dashboard;

/// <summary>A host lifetime that leaves Ctrl-C and SIGTERM to the lab, which stops the dashboard after the deployment.</summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
