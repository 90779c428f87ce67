using Stickless.Lab.Deployment;

namespace Stickless.Lab.Soak;

/// <summary><c>stickless soak</c>: the bench workload for a long time with a fault every period; writes <c>soak.json</c> and <c>soak.md</c>.</summary>
internal static class SoakCommand
{
    /// <summary>Runs the command on the console.</summary>
    /// <returns>0 when every check held, 1 otherwise.</returns>
    public static Task<int> RunAsync(SoakArguments args, CancellationToken ct) =>
        RunAsync(args, ConsoleLabLog.Instance, Console.Error, Console.Out, TimeProvider.System, ct);

    /// <summary>Runs the command with its writers and clock given (tests).</summary>
    public static async Task<int> RunAsync(SoakArguments args, ILabLog log, TextWriter progress, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        var result = await new SoakRunner(log, progress, time).RunAsync(args, ct).ConfigureAwait(false);
        var path = await SoakReport.WriteAsync(args.OutDirectory, result, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(SoakReport.Markdown(result)).ConfigureAwait(false);
        await output.WriteLineAsync($"results: {path}").ConfigureAwait(false);
        return result.Passed ? 0 : 1;
    }
}
