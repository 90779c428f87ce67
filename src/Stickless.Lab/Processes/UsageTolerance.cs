namespace Stickless.Lab.Processes;

/// <summary>
/// How much a process may grow over the second half of a run and still count as flat (see <see cref="ResourceTrend"/>):
/// for each resource, an absolute allowance (the noise of the measure: a GC heap breathes by megabytes) or a fraction
/// of its level, whichever is larger.
/// </summary>
internal sealed record UsageTolerance
{
    /// <summary>The lab's default: 32 MiB or 10 % of memory, 8 threads or 25 %, 16 descriptors or 10 %.</summary>
    public static UsageTolerance Default { get; } = new();

    /// <summary>Memory growth always allowed, in bytes. Default 32 MiB.</summary>
    public double MemoryBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Memory growth allowed as a fraction of the level. Default 0.10.</summary>
    public double MemoryFraction { get; init; } = 0.10;

    /// <summary>Thread growth always allowed. Default 8 (the thread pool adds and retires workers with the load).</summary>
    public double Threads { get; init; } = 8;

    /// <summary>Thread growth allowed as a fraction of the level. Default 0.25.</summary>
    public double ThreadsFraction { get; init; } = 0.25;

    /// <summary>Descriptor growth always allowed. Default 16 (connections come and go).</summary>
    public double Handles { get; init; } = 16;

    /// <summary>Descriptor growth allowed as a fraction of the level. Default 0.10.</summary>
    public double HandlesFraction { get; init; } = 0.10;
}
