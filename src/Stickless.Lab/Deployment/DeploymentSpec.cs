namespace Stickless.Lab.Deployment;

/// <summary>What to deploy: a strategy on N Festa nodes behind HAProxy.</summary>
/// <param name="Strategy">A name from <see cref="LabStrategies"/>: <c>local</c>, <c>sticky</c>, <c>redis</c>, …</param>
/// <param name="Nodes">How many Festa nodes (1 to 16).</param>
/// <param name="RunDirectory">Where generated configuration, users file and logs go; emptied at start.</param>
/// <param name="FrontendPort">HAProxy's port; null picks a free one.</param>
internal sealed record DeploymentSpec(string Strategy, int Nodes, string RunDirectory, int? FrontendPort = null)
{
    /// <summary>The lab folders (pid files, Festa build); default <see cref="LabPaths.Resolve"/>.</summary>
    public LabPaths? Paths { get; init; }

    /// <summary>How long the whole start may take (Festa build excluded); default 120 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
