using Stickless.Lab.Abuse;
using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Commands;
using Stickless.Lab.Deployment;
using Stickless.Lab.Report;
using Stickless.Lab.Soak;

namespace Stickless.Lab;

/// <summary>The <c>stickless</c> command: up, down, status, bench, chaos, abuse, soak, report.</summary>
internal static class Program
{
    private static string Usage => $"""
        usage:
          {UpArguments.Usage}
          {DownCommand.Usage}
          {StatusCommand.Usage}
          {BenchArguments.Usage}
          {ChaosArguments.Usage}
          {AbuseArguments.Usage}
          {SoakArguments.Usage}
          {ReportArguments.Usage}

        strategies: {string.Join(", ", LabStrategies.All.Select(s => s.Name))}
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        using var signals = new ShutdownSignals();
        var rest = args[1..];
        var log = ConsoleLabLog.Instance;
        try
        {
            IReadOnlyList<string> errors;
            switch (args[0])
            {
                case "up":
                    return UpArguments.TryParse(rest, out var up, out errors)
                        ? await UpCommand.RunAsync(up, log, Console.Out, signals.Token).ConfigureAwait(false)
                        : UsageError(UpArguments.Usage, errors);
                case "down":
                    return DownCommand.TryParse(rest, out var labDirectory, out errors)
                        ? await DownCommand.RunAsync(labDirectory, log, Console.Out, signals.Token).ConfigureAwait(false)
                        : UsageError(DownCommand.Usage, errors);
                case "status":
                    return DownCommand.TryParse(rest, out var statusDirectory, out errors)
                        ? StatusCommand.Run(statusDirectory, Console.Out)
                        : UsageError(StatusCommand.Usage, errors);
                case "bench":
                    return BenchArguments.TryParse(rest, out var bench, out errors)
                        ? await BenchCommand.RunAsync(bench, signals.Token).ConfigureAwait(false)
                        : UsageError(BenchArguments.Usage, errors);
                case "chaos":
                    return ChaosArguments.TryParse(rest, out var chaos, out errors)
                        ? await ChaosCommand.RunAsync(chaos, signals.Token).ConfigureAwait(false)
                        : UsageError(ChaosArguments.Usage, errors);
                case "abuse":
                    return AbuseArguments.TryParse(rest, out var abuse, out errors)
                        ? await AbuseCommand.RunAsync(abuse, signals.Token).ConfigureAwait(false)
                        : UsageError(AbuseArguments.Usage, errors);
                case "soak":
                    return SoakArguments.TryParse(rest, out var soak, out errors)
                        ? await SoakCommand.RunAsync(soak, signals.Token).ConfigureAwait(false)
                        : UsageError(SoakArguments.Usage, errors);
                case "report":
                    return ReportArguments.TryParse(rest, out var report, out errors)
                        ? await ReportCommand.RunAsync(report, signals.Token).ConfigureAwait(false)
                        : UsageError(ReportArguments.Usage, errors);
                default:
                    return UsageError(Usage, [$"unknown command '{args[0]}'"]);
            }
        }
        catch (LabException exception)
        {
            Console.Error.WriteLine($"stickless: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("stickless: interrupted");
            return 130;
        }
    }

    private static int UsageError(string usage, IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"stickless: {error}");
        }

        Console.Error.WriteLine(usage);
        return 2;
    }
}
