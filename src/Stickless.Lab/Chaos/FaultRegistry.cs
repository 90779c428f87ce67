namespace Stickless.Lab.Chaos;

/// <summary>The faults the chaos command knows, by name. Stores add theirs with <see cref="Register(string, Func{FaultSettings, IFault})"/>.</summary>
internal static class FaultRegistry
{
    private static readonly Dictionary<string, Func<FaultSettings, IFault>> Factories = new(StringComparer.Ordinal)
    {
        [KillNodeFault.FaultName] = static _ => new KillNodeFault(),
        [KillMasterFault.FaultName] = static _ => new KillMasterFault(),
        [PauseMasterFault.FaultName] = static _ => new PauseMasterFault(),
        [KillLaggingMasterFault.FaultName] = static _ => new KillLaggingMasterFault(),
        [StoreLinkFault.SlowStoreName] = static settings => StoreLinkFault.SlowStore(settings),
        [StoreLinkFault.BlackholeStoreName] = static settings => StoreLinkFault.BlackholeStore(settings),
        [RestartStoreFault.FaultName] = static _ => new RestartStoreFault(),
        [KillStoreNodeFault.FaultName] = static _ => new KillStoreNodeFault(),
        [PauseStoreNodeFault.FaultName] = static _ => new PauseStoreNodeFault(),
        [RestartStoreNodeFault.FaultName] = static _ => new RestartStoreNodeFault(),
        [PauseNodeFault.ShortName] = static _ => new PauseNodeFault(PauseNodeFault.ShortName, TimeSpan.FromSeconds(1)),
        [PauseNodeFault.LongName] = static _ => new PauseNodeFault(PauseNodeFault.LongName, TimeSpan.FromSeconds(5)),
        [RestartNodeFault.FaultName] = static _ => new RestartNodeFault(),
        [PartitionMasterFault.FaultName] = static settings => new PartitionMasterFault(settings.HoldFor),
        [PartitionPeersFault.FaultName] = static settings => new PartitionPeersFault(settings.HoldFor),
        [PartitionPeersFault.OldName] = static settings => new PartitionPeersFault(settings.HoldFor),
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
        ArgumentNullException.ThrowIfNull(factory);
        Register(name, _ => factory());
    }

    /// <summary>Registers (or replaces) a fault that takes parameters from the command line.</summary>
    public static void Register(string name, Func<FaultSettings, IFault> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate)
        {
            Factories[name] = factory;
        }
    }

    /// <summary>A new instance of the fault called <paramref name="name"/>, with its default parameters, if there is one.</summary>
    public static bool TryCreate(string name, out IFault fault) => TryCreate(name, FaultSettings.Default, out fault);

    /// <summary>A new instance of the fault called <paramref name="name"/>, with <paramref name="settings"/>, if there is one.</summary>
    public static bool TryCreate(string name, FaultSettings settings, out IFault fault)
    {
        Func<FaultSettings, IFault>? factory;
        lock (Gate)
        {
            Factories.TryGetValue(name, out factory);
        }

        fault = factory?.Invoke(settings)!;
        return factory is not null;
    }
}
