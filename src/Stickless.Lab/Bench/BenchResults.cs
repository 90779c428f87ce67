namespace Stickless.Lab.Bench;

/// <summary>The whole of <c>results.json</c>: <c>{"runs":[…]}</c>, one entry per strategy (and fault) run.</summary>
internal sealed record BenchResults
{
    /// <summary>The runs, in the order they ran.</summary>
    public IReadOnlyList<RunResult> Runs { get; init; } = [];
}
