namespace Stickless.Lab.Processes;

/// <summary>One look at one process (<see cref="ProcFs.TryReadUsage"/>).</summary>
/// <param name="Seconds">When, in seconds since sampling began.</param>
/// <param name="Pid">Which incarnation (a restarted node has a new pid).</param>
/// <param name="ResidentBytes">Resident memory (VmRSS).</param>
/// <param name="Threads">Threads.</param>
/// <param name="Handles">Open file descriptors.</param>
internal sealed record ProcessSample(double Seconds, int Pid, long ResidentBytes, int Threads, int Handles);
