namespace Stickless.Lab.Dashboard;

/// <summary>A strategy's server as the dashboard shows it.</summary>
/// <param name="Name">Its role.</param>
/// <param name="Endpoint">host:port.</param>
/// <param name="Pid">Its process.</param>
/// <param name="Alive">True while its process runs.</param>
/// <param name="Items">Items it holds, for servers that say (memcached <c>curr_items</c>); null otherwise.</param>
internal sealed record DashboardService(string Name, string Endpoint, int Pid, bool Alive, long? Items = null);
