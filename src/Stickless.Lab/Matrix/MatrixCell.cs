using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Matrix;

/// <summary>One cell of the fault × strategy matrix: a chaos run of its own.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="Fault">The fault's name.</param>
/// <param name="Settings">The fault's parameters (latency of slow-store, …).</param>
/// <param name="Persistence">The store's persistence (restart-store on redis), or null.</param>
internal sealed record MatrixCell(string Strategy, string Fault, FaultSettings Settings, RedisPersistence? Persistence = null)
{
    /// <summary>The cell's label in the report, as the chaos run's (<c>redis [rdb] + restart-store</c>).</summary>
    public string Label => RunLabel.Of(Strategy, Persistence?.Name, false, Fault, Settings.ToString() is { Length: > 0 } s ? s : null);

    /// <summary>How long the workload runs: 20 s, longer when the fault lasts (it must heal and be watched for 10 s more).</summary>
    public TimeSpan Duration(TimeSpan baseline)
    {
        var lasts = Create().Lasts;
        var needed = FaultAtSeconds(baseline) + lasts + Tail(Fault);
        return needed > baseline ? TimeSpan.FromSeconds(Math.Ceiling(needed.TotalSeconds)) : baseline;
    }

    /// <summary>When the fault strikes, as a fraction of <see cref="Duration"/>.</summary>
    public double FaultAt(TimeSpan baseline) => FaultAtSeconds(baseline) / Duration(baseline);

    /// <summary>A fresh instance of the fault.</summary>
    public IFault Create() =>
        FaultRegistry.TryCreate(Fault, Settings, out var fault) ? fault : throw new LabException($"unknown fault '{Fault}'");

    /// <summary>A rough bound on the cell's wall time: its run, the deployment's start and stop, the sign-ups.</summary>
    public TimeSpan Estimate(TimeSpan baseline) => Duration(baseline) + TimeSpan.FromSeconds(Strategy.StartsWith("redis-ha", StringComparison.Ordinal) ? 35 : 25);

    /// <inheritdoc />
    public override string ToString() => Label;

    // A third of a 20 s run before the fault: every user signed in and the load steady.
    private static TimeSpan FaultAtSeconds(TimeSpan baseline) => TimeSpan.FromSeconds(Math.Round(baseline.TotalSeconds * 0.35, 1, MidpointRounding.AwayFromZero));

    // After a heal: the old master must rejoin and the minority node follow it (Sentinel looks every 10 s), or the sides reconcile.
    private static TimeSpan Tail(string fault) => fault switch
    {
        PartitionMasterFault.FaultName => TimeSpan.FromSeconds(22),
        PartitionPeersFault.FaultName => TimeSpan.FromSeconds(10),
        _ => TimeSpan.FromSeconds(8),
    };

    /// <summary>A fault with parameters: <c>slow-store</c> at <paramref name="latency"/>.</summary>
    public static MatrixCell SlowStore(string strategy, TimeSpan latency) =>
        new(strategy, StoreLinkFault.SlowStoreName, new FaultSettings { Latency = latency });

    /// <summary><c>restart-store</c> under one persistence setting.</summary>
    public static MatrixCell RestartStore(string strategy, RedisPersistence persistence) =>
        new(strategy, RestartStoreFault.FaultName, FaultSettings.Default, persistence);

    /// <summary>A fault with its defaults.</summary>
    public static MatrixCell Of(string strategy, string fault) => new(strategy, fault, FaultSettings.Default);
}
