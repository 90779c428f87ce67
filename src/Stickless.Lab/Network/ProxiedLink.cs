namespace Stickless.Lab.Network;

/// <summary>A link of a deployment with a <see cref="FaultProxy"/> on it: from a node (or a server) to a service.</summary>
/// <param name="From">Who connects: a node's name (<c>node1</c>).</param>
/// <param name="To">Whom it reaches: a service's name (<c>redis</c>).</param>
/// <param name="Proxy">The proxy between them; <c>From</c> is configured with its endpoint.</param>
internal sealed record ProxiedLink(string From, string To, FaultProxy Proxy)
{
    /// <summary><c>node1→redis</c>.</summary>
    public string Name => LinkName(From, To);

    /// <summary>The name of the link from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static string LinkName(string from, string to) => $"{from}→{to}";
}
