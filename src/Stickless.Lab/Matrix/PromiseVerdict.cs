namespace Stickless.Lab.Matrix;

/// <summary>What the design promises for one fault on one strategy, and whether the run kept it.</summary>
/// <param name="Promise">The promise, in a sentence (<c>0 acknowledged updates lost (WAIT 1)</c>).</param>
/// <param name="Kept">True kept, false broken, null when the design promises nothing here (the figures are shown as measured).</param>
/// <param name="Measured">The figures the verdict rests on.</param>
internal sealed record PromiseVerdict(string Promise, bool? Kept, string Measured)
{
    /// <summary>A cell with no promise of its own beyond never showing another user's data.</summary>
    public static PromiseVerdict None(string measured) => new("—", null, measured);
}
