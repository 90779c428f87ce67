namespace Stickless.Memcached.Ring;

/// <summary>One node as the ring sees it: the name its points are hashed from, and its weight.</summary>
/// <param name="Name">The ring name; points are <c>MD5("&lt;name&gt;-&lt;k&gt;")</c>.</param>
/// <param name="Weight">The weight, at least 1; a node gets points in proportion to it.</param>
public readonly record struct KetamaNode(string Name, int Weight = 1)
{
    /// <summary>The default ring name of <paramref name="host"/>:<paramref name="port"/> in <paramref name="format"/>.</summary>
    public static string NameFor(string host, int port, KetamaNameFormat format) => format switch
    {
        KetamaNameFormat.Libmemcached => port == 11211 ? host : $"{host}:{port}",
        KetamaNameFormat.Spymemcached => $"{host}:{port}",
        KetamaNameFormat.LibmemcachedSpy => $"/{host}:{port}",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown ketama name format."),
    };
}
