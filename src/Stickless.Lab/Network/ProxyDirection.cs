namespace Stickless.Lab.Network;

/// <summary>Which way bytes travel through a <see cref="FaultProxy"/> connection.</summary>
internal enum ProxyDirection
{
    /// <summary>From the side that connected (an app node) to the upstream (a store).</summary>
    ClientToServer,

    /// <summary>From the upstream back to the side that connected: the replies.</summary>
    ServerToClient,
}
