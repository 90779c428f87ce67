using Stickless.Lab.Bench;

namespace Stickless.Lab.Matrix;

/// <summary>One cell of <c>matrix.json</c>: what ran, its promise's verdict, and why it did not run when it did not.</summary>
internal sealed record MatrixEntry
{
    /// <summary>The cell's label (<c>redis [rdb] + restart-store</c>).</summary>
    public required string Label { get; init; }

    /// <summary>The strategy.</summary>
    public required string Strategy { get; init; }

    /// <summary>The fault.</summary>
    public required string Fault { get; init; }

    /// <summary>The verdict; null when the cell did not run.</summary>
    public PromiseVerdict? Promise { get; init; }

    /// <summary>The run's figures (as in <c>results.json</c>); null when it did not run.</summary>
    public RunResult? Run { get; init; }

    /// <summary>Why the cell did not run (a deployment that failed, the time budget); null when it ran.</summary>
    public string? NotRun { get; init; }

    /// <summary>The cell's wall time, in seconds (deployment, sign-ups, run, stop).</summary>
    public double WallSeconds { get; init; }
}
