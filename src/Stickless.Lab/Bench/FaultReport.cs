using Stickless.Lab.Chaos;

namespace Stickless.Lab.Bench;

/// <summary>A fault that struck during a run.</summary>
/// <param name="Fault">The fault.</param>
/// <param name="Outcome">What it did.</param>
/// <param name="AppliedAt">When, since the run started.</param>
/// <param name="SignedInUsers">Signed-in users at that moment.</param>
internal sealed record FaultReport(IFault Fault, FaultOutcome Outcome, TimeSpan AppliedAt, int SignedInUsers);
