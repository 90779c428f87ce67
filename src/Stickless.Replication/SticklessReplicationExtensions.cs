using Microsoft.Extensions.DependencyInjection;
using Stickless.Replication;

namespace Stickless;

/// <summary>Registers the replicated store (<c>Stickless:Store=Replication</c>) on <see cref="SticklessOptions"/>.</summary>
public static class SticklessReplicationExtensions
{
    /// <summary>
    /// Registers the store under the name <c>Replication</c> without selecting it (<c>Stickless:Store</c> selects it).
    /// The store itself is the singleton that <c>services.AddSticklessReplication(...)</c> sets up.
    /// </summary>
    public static SticklessOptions AddReplication(this SticklessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddStore(ReplicatedSessionStore.StoreName, sp => sp.GetRequiredService<ReplicatedSessionStore>());
    }
}
