using System.Text.Json.Serialization;

namespace Stickless.Lab.Processes;

/// <summary>
/// What a pid file under <c>.lab/pids</c> says of one process the lab started: its pid, its start time
/// (so a recycled pid is never killed) and, for people reading the file, its command line.
/// </summary>
/// <param name="Name">The role, for example <c>redis-node1</c> or <c>lab</c>.</param>
/// <param name="Pid">The process id.</param>
/// <param name="StartTime">The start time from /proc/&lt;pid&gt;/stat (clock ticks since boot).</param>
/// <param name="Command">The command line, for people.</param>
internal sealed record PidFileRecord(string Name, int Pid, long StartTime, string Command)
{
    /// <summary>The lab process that started it (0: unknown).</summary>
    public int OwnerPid { get; init; }

    /// <summary>The start time of <see cref="OwnerPid"/>.</summary>
    public long OwnerStartTime { get; init; }

    /// <summary>True when the process this record describes still runs.</summary>
    [JsonIgnore]
    public bool IsRunning => ProcFs.IsSameProcess(Pid, StartTime);

    /// <summary>True when the lab process that started it still runs (a bench in another terminal): not a leftover.</summary>
    [JsonIgnore]
    public bool IsOwnerRunning => OwnerPid > 0 && ProcFs.IsSameProcess(OwnerPid, OwnerStartTime);

    /// <summary>A record of this process's child, owned by this process.</summary>
    public static PidFileRecord OwnedByThisProcess(string name, int pid, long startTime, string command) =>
        new(name, pid, startTime, command) { OwnerPid = Environment.ProcessId, OwnerStartTime = ThisProcessStartTime };

    private static long ThisProcessStartTime { get; } = ProcFs.StartTime(Environment.ProcessId) ?? 0;
}
