using System.Globalization;

namespace Stickless.Lab.Processes;

/// <summary>Reads what Linux says of a process in /proc: whether it runs, when it started, its command line.</summary>
internal static class ProcFs
{
    /// <summary>
    /// Reads the state letter and the start time (clock ticks since boot) of <paramref name="pid"/>.
    /// The start time tells a process from a later one that reuses its pid.
    /// </summary>
    public static bool TryReadStat(int pid, out char state, out long startTime)
    {
        state = '?';
        startTime = 0;
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return false;
        }

        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // After comm: field 3 (state) is fields[0], field 22 (starttime) is fields[19].
        if (fields.Length < 20 || fields[0].Length != 1
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out startTime))
        {
            return false;
        }

        state = fields[0][0];
        return true;
    }

    /// <summary>The start time of <paramref name="pid"/>, or null when it does not exist.</summary>
    public static long? StartTime(int pid) => TryReadStat(pid, out _, out var start) ? start : null;

    /// <summary>True when <paramref name="pid"/> exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid) => TryReadStat(pid, out var state, out _) && state is not ('Z' or 'X');

    /// <summary>True when <paramref name="pid"/> runs and is the process that started at <paramref name="startTime"/>.</summary>
    public static bool IsSameProcess(int pid, long startTime) =>
        TryReadStat(pid, out var state, out var start) && start == startTime && state is not ('Z' or 'X');

    /// <summary>The command line of <paramref name="pid"/>, arguments joined by spaces; empty when unreadable.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// What <paramref name="pid"/> holds now: resident memory (<c>VmRSS</c> of /proc/pid/status), threads (<c>Threads</c>)
    /// and open file descriptors (the entries of /proc/pid/fd: sockets, files, pipes). False when the process is gone
    /// or its /proc cannot be read.
    /// </summary>
    public static bool TryReadUsage(int pid, out long residentBytes, out int threads, out int handles)
    {
        residentBytes = 0;
        threads = 0;
        handles = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    // "VmRSS:	  123456 kB"
                    var number = line.AsSpan(6).Trim();
                    number = number.EndsWith("kB", StringComparison.Ordinal) ? number[..^2].Trim() : number;
                    residentBytes = long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    _ = int.TryParse(line.AsSpan(8).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out threads);
                }
            }

            handles = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
            return residentBytes > 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every pid /proc lists now.</summary>
    public static IEnumerable<int> AllPids()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>Waits until <paramref name="pid"/> no longer runs (or is another process now); false at the deadline.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, long startTime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Not our child (a leftover of a crashed lab): no exit event to wait on, so poll /proc briefly.
        var deadline = DateTime.UtcNow + timeout;
        while (IsSameProcess(pid, startTime))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
