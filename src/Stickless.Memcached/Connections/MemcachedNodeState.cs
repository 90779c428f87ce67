namespace Stickless.Memcached.Connections;

/// <summary>Whether a node is used.</summary>
public enum MemcachedNodeState
{
    /// <summary>Never connected yet: the first call connects.</summary>
    NotConnected,

    /// <summary>Connected and trusted.</summary>
    Up,

    /// <summary>Unreachable, timing out, or not yet re-admitted: calls fail at once and its keys are served by their backup node.</summary>
    Down,
}
