namespace Stickless.Lab.Workload;

/// <summary>What the virtual users do (<c>--workload</c>).</summary>
internal enum WorkloadKind
{
    /// <summary>Sign-up, sign-in, then about 88 % reads and 12 % writes, judged by the shadow model (<see cref="VirtualUser"/>).</summary>
    Mixed,

    /// <summary>Only <c>GET /me</c>, each connection on its own signed-in session: what a read costs.</summary>
    Read,

    /// <summary>Only <c>POST /counter</c>, each request on one of <see cref="WorkloadOptions.Sessions"/> sessions picked at random: what a write costs, and what overlapping writes of one session lose.</summary>
    Write,

    /// <summary>Only <c>POST /counter</c>, every connection on one session: contention.</summary>
    Contended,

    /// <summary>
    /// Only <c>GET /baseline</c> (the size of <c>GET /me</c>, never touching the session), each connection carrying its own
    /// signed-in session's cookie as the read workload does: what the node serves without sessions.
    /// </summary>
    Baseline,
}
