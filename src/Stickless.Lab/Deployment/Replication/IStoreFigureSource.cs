using Stickless.Lab.Bench;

namespace Stickless.Lab.Deployment.Replication;

/// <summary>A strategy that can read its store's own figures from the nodes before and after the measured part of a run.</summary>
internal interface IStoreFigureSource
{
    /// <summary>Reads the figures now (before the measured part).</summary>
    Task<object?> SnapshotAsync(LabDeployment deployment, CancellationToken cancellationToken);

    /// <summary>Adds the figures of the measured part (the difference from <paramref name="before"/>) to <paramref name="result"/>.</summary>
    Task<RunResult> AddFiguresAsync(RunResult result, LabDeployment deployment, object? before, CancellationToken cancellationToken);
}
