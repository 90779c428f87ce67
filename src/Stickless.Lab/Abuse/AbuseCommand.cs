using Stickless.Lab.Deployment;

namespace Stickless.Lab.Abuse;

/// <summary>
/// <c>stickless abuse</c>: a deployment under hostile clients through HAProxy for a bounded time, with real users whose
/// canaries must never show up in a hostile answer; writes <c>abuse.json</c> and <c>abuse.md</c>.
/// </summary>
internal static class AbuseCommand
{
    /// <summary>Runs the command on the console.</summary>
    /// <returns>0 when every check held, 1 when one did not (or the run failed).</returns>
    public static Task<int> RunAsync(AbuseArguments args, CancellationToken ct) =>
        RunAsync(args, ConsoleLabLog.Instance, Console.Error, Console.Out, TimeProvider.System, ct);

    /// <summary>Runs the command with its writers and clock given (tests).</summary>
    public static async Task<int> RunAsync(AbuseArguments args, ILabLog log, TextWriter progress, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        var result = await RunOnceAsync(args, log, progress, time, ct).ConfigureAwait(false);
        var path = await AbuseReport.WriteAsync(args.OutDirectory, result, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(AbuseReport.Markdown(result)).ConfigureAwait(false);
        await output.WriteLineAsync($"results: {path}").ConfigureAwait(false);
        return result.Passed ? 0 : 1;
    }

    /// <summary>Starts the deployment, abuses it, stops it; the deployment is stopped whatever happened.</summary>
    public static async Task<AbuseResult> RunOnceAsync(AbuseArguments args, ILabLog log, TextWriter progress, TimeProvider time, CancellationToken ct)
    {
        var paths = LabPaths.Resolve(args.LabDirectory);
        var spec = new DeploymentSpec(args.Strategy, args.Nodes, paths.RunDirectory("abuse-" + args.Strategy))
        {
            Paths = paths,
            ExtraNodeConfiguration = AbuseRunner.NodeConfiguration,
        };
        var deployment = await LabDeployment.StartAsync(spec, log, ct).ConfigureAwait(false);
        await using (deployment.ConfigureAwait(false))
        {
            return await new AbuseRunner(log, progress, time).RunAsync(deployment, args, ct).ConfigureAwait(false);
        }
    }
}
