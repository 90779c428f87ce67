namespace Stickless.Lab.Network;

/// <summary>
/// Everything a <see cref="FaultProxy"/> does to its link: faults per direction, and what happens to new connections.
/// Immutable; assign a new one to <see cref="FaultProxy.Faults"/> to change the link while its connections stay open.
/// </summary>
internal sealed record LinkFaults
{
    /// <summary>A healthy link.</summary>
    public static LinkFaults None { get; } = new();

    /// <summary>
    /// A black hole: connections are accepted, nothing is forwarded either way, nothing is answered, and a connection
    /// accepted meanwhile is only connected upstream once the link forwards again. A client sees its calls time out.
    /// Nothing is lost: as when a route drops every packet, TCP keeps the bytes and delivers them if the route comes
    /// back before the sender gives up, so a command sent into the hole may still run after it heals. It is a two-way
    /// partition; <see cref="DirectionFaults.Discard"/> is the lossy kind, which no TCP path produces.
    /// </summary>
    public static LinkFaults Blackhole { get; } = Partition(clientToServer: true, serverToClient: true);

    /// <summary>Faults on the bytes the client sends (requests, commands).</summary>
    public DirectionFaults ClientToServer { get; init; } = DirectionFaults.None;

    /// <summary>Faults on the bytes the upstream sends back (replies).</summary>
    public DirectionFaults ServerToClient { get; init; } = DirectionFaults.None;

    /// <summary>New connections are reset at once (RST), as a port nobody listens on answers. Open ones are untouched. Default false.</summary>
    public bool ResetNewConnections { get; init; }

    /// <summary>Replies arrive <paramref name="latency"/> (± <paramref name="jitter"/>) late: every round trip grows by that much.</summary>
    public static LinkFaults SlowReplies(TimeSpan latency, TimeSpan jitter = default) =>
        new() { ServerToClient = new DirectionFaults { Latency = latency, Jitter = jitter } };

    /// <summary>A partition: the directions named are blocked (held, not lost) until healed.</summary>
    public static LinkFaults Partition(bool clientToServer, bool serverToClient) => new()
    {
        ClientToServer = new DirectionFaults { Blocked = clientToServer },
        ServerToClient = new DirectionFaults { Blocked = serverToClient },
    };

    /// <summary>The faults on <paramref name="direction"/>.</summary>
    public DirectionFaults For(ProxyDirection direction) =>
        direction == ProxyDirection.ClientToServer ? ClientToServer : ServerToClient;

    /// <summary>Every invalid setting.</summary>
    public IReadOnlyList<string> Validate() =>
        [.. ClientToServer.Validate(ProxyDirection.ClientToServer), .. ServerToClient.Validate(ProxyDirection.ServerToClient)];

    /// <summary>One line for logs and reports.</summary>
    public override string ToString()
    {
        if (this == None)
        {
            return "healthy";
        }

        if (this == Blackhole)
        {
            return "black hole";
        }

        var text = $"client→server: {ClientToServer}; server→client: {ServerToClient}";
        return ResetNewConnections ? text + "; new connections reset" : text;
    }
}
