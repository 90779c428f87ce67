namespace Stickless.Lab.Chaos;

/// <summary>The faults the chaos command knows, by name. Stores add theirs with <see cref="Register"/>.</summary>
internal static class FaultRegistry
{
    private static readonly Dictionary<string, Func<IFault>> Factories = new(StringComparer.Ordinal)
    {
        [KillNodeFault.FaultName] = static () => new KillNodeFault(),
        [KillMasterFault.FaultName] = static () => new KillMasterFault(),
        [PauseMasterFault.FaultName] = static () => new PauseMasterFault(),
        [KillLaggingMasterFault.FaultName] = static () => new KillLaggingMasterFault(),
        [KillStoreNodeFault.FaultName] = static () => new KillStoreNodeFault(),
        [PauseStoreNodeFault.FaultName] = static () => new PauseStoreNodeFault(),
        [RestartStoreNodeFault.FaultName] = static () => new RestartStoreNodeFault(),
    };

    private static readonly Lock Gate = new();

    /// <summary>Every registered fault name, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate)
            {
                return [.. Factories.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Registers (or replaces) a fault.</summary>
    public static void Register(string name, Func<IFault> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate)
        {
            Factories[name] = factory;
        }
    }

    /// <summary>A new instance of the fault called <paramref name="name"/>, if there is one.</summary>
    public static bool TryCreate(string name, out IFault fault)
    {
        Func<IFault>? factory;
        lock (Gate)
        {
            Factories.TryGetValue(name, out factory);
        }

        fault = factory?.Invoke()!;
        return factory is not null;
    }
}
