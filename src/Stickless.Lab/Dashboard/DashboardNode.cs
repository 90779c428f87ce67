namespace Stickless.Lab.Dashboard;

/// <summary>A node as the dashboard shows it.</summary>
/// <param name="Name">The node name.</param>
/// <param name="Url">Its own address.</param>
/// <param name="Pid">Its process.</param>
/// <param name="Alive">True while its process runs.</param>
/// <param name="Healthy">True when its /healthz answered 200 at the last look.</param>
/// <param name="HaproxyStatus">HAProxy's status for it (UP, DOWN, …); empty when HAProxy did not answer.</param>
/// <param name="HaproxyRequests">Requests HAProxy sent it (stot).</param>
/// <param name="HaproxyConnections">Connections open to it now (scur).</param>
internal sealed record DashboardNode(string Name, string Url, int Pid, bool Alive, bool Healthy, string HaproxyStatus, long HaproxyRequests, long HaproxyConnections);
