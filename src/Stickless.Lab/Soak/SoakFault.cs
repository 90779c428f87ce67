using Stickless.Lab.Bench;
using Stickless.Lab.Matrix;

namespace Stickless.Lab.Soak;

/// <summary>One fault of a soak.</summary>
/// <param name="Window">The fault's figures, as a chaos run of its own would give them (from the fault to the next one).</param>
/// <param name="Promise">What the design promises for it, and whether it held.</param>
/// <param name="Restored">The processes the soak started again after it (a killed node or master), with their new pids.</param>
internal sealed record SoakFault(RunResult Window, PromiseVerdict Promise, IReadOnlyList<string> Restored);
