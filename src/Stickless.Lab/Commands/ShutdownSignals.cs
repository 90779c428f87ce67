using System.Runtime.InteropServices;

namespace Stickless.Lab.Commands;

/// <summary>
/// Turns Ctrl-C (SIGINT), SIGTERM (what <c>stickless down</c> sends) and SIGQUIT into a cancellation, so the
/// lab stops what it started, by pid, before it exits, instead of the runtime ending it at once.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly PosixSignalRegistration[] registrations;

    /// <summary>Starts listening.</summary>
    public ShutdownSignals()
    {
        registrations =
        [
            .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Signal = context.Signal;
                cancellation.Cancel();
            })),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>The signal received, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        cancellation.Dispose();
    }
}
