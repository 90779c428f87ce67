namespace Stickless.Lab.Deployment;

/// <summary>One server line of HAProxy's stats CSV.</summary>
/// <param name="Name">The server name (the node name).</param>
/// <param name="Status">HAProxy's status: <c>UP</c>, <c>DOWN</c>, <c>UP 1/2</c> (going down), <c>NOLB</c>, <c>MAINT</c>, …</param>
/// <param name="CurrentSessions">Connections open now (<c>scur</c>).</param>
/// <param name="TotalRequests">HTTP requests sent to it since HAProxy started (<c>req_tot</c>, else <c>stot</c>).</param>
/// <param name="LastCheck">The last health check's result (<c>check_status</c>), for example <c>L7OK</c> or <c>L4CON</c>.</param>
internal sealed record HaproxyServerStats(string Name, string Status, long CurrentSessions, long TotalRequests, string LastCheck)
{
    /// <summary>True when HAProxy sends it traffic.</summary>
    public bool IsUp => Status.StartsWith("UP", StringComparison.Ordinal);
}
