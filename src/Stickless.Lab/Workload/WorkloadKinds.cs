namespace Stickless.Lab.Workload;

/// <summary>The names of <see cref="WorkloadKind"/> on the command line and in <c>results.json</c>.</summary>
internal static class WorkloadKinds
{
    /// <summary>Every name, for usage text: <c>mixed|read|write|contended</c>.</summary>
    public static string Names => string.Join('|', Enum.GetValues<WorkloadKind>().Select(Name));

    /// <summary>The lower-case name (<c>read</c>).</summary>
    public static string Name(this WorkloadKind kind) => kind switch
    {
        WorkloadKind.Mixed => "mixed",
        WorkloadKind.Read => "read",
        WorkloadKind.Write => "write",
        WorkloadKind.Contended => "contended",
        WorkloadKind.Baseline => "baseline",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The workload named <paramref name="name"/> (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? name, out WorkloadKind kind)
    {
        foreach (var candidate in Enum.GetValues<WorkloadKind>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = WorkloadKind.Mixed;
        return false;
    }

    /// <summary>What one request of the workload is, for reports.</summary>
    public static string Describe(this WorkloadKind kind) => kind switch
    {
        WorkloadKind.Read => "GET /me on signed-in sessions",
        WorkloadKind.Write => "POST /counter over many sessions",
        WorkloadKind.Contended => "POST /counter, every connection on one session",
        WorkloadKind.Baseline => "GET /baseline, session-free, the size of GET /me",
        _ => "sign-in, then about 88 % reads and 12 % writes",
    };
}
