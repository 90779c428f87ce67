using System.Runtime.InteropServices;

namespace Stickless.Lab.Processes;

/// <summary>Sends POSIX signals by pid (Linux numbering): the lab stops, kills, pauses and resumes what it started.</summary>
internal static partial class PosixSignals
{
    /// <summary>Interrupt (Ctrl-C).</summary>
    public const int Interrupt = 2;

    /// <summary>Kill: cannot be caught.</summary>
    public const int Kill = 9;

    /// <summary>Terminate: the polite stop.</summary>
    public const int Terminate = 15;

    /// <summary>Continue a stopped process.</summary>
    public const int Continue = 18;

    /// <summary>Stop (pause): cannot be caught.</summary>
    public const int Stop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when there is no such process.</summary>
    public static bool TrySend(int pid, int signal) => pid > 0 && SendSignal(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
