namespace Stickless.Lab.Chaos;

/// <summary>Which fault to inject, and when.</summary>
/// <param name="Fault">The fault.</param>
/// <param name="At">The fraction of the run's duration at which it strikes (0 to 1).</param>
internal sealed record FaultPlan(IFault Fault, double At)
{
    /// <summary>The parameters the fault was created with, for the run's label; null or empty when none were given.</summary>
    public FaultSettings? Settings { get; init; }
}
