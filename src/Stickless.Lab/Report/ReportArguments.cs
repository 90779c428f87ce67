using Stickless.Lab.Bench;

namespace Stickless.Lab.Report;

/// <summary>What <c>stickless report</c> was asked to do.</summary>
/// <param name="InDirectory">The folder holding <c>results.json</c>; the report is written beside it.</param>
internal sealed record ReportArguments(string InDirectory)
{
    /// <summary>The usage line.</summary>
    public const string Usage = "stickless report --in DIR";

    private static readonly string[] Known = ["in"];

    /// <summary>Reads the command line after <c>report</c>.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out ReportArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known);
        result = new ReportArguments(reader.String("in", "bench-results"));
        errors = reader.Errors;
        return errors.Count == 0;
    }
}
