namespace Stickless.Memcached;

/// <summary>A server given as an object in configuration (<c>Stickless:Memcached:Nodes:0:Host</c>, <c>Port</c>, <c>Weight</c>, <c>Name</c>).</summary>
public sealed class MemcachedServerOptions
{
    /// <summary>Host name or address. Required.</summary>
    public string Host { get; set; } = "";

    /// <summary>TCP port. Default 11211.</summary>
    public int Port { get; set; } = 11211;

    /// <summary>Ring weight. Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Ring name; by default derived from the address. Give one so that replacing a machine moves no sessions.</summary>
    public string? Name { get; set; }
}
