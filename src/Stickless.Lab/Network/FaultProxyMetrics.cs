using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Stickless.Lab.Network;

/// <summary>
/// The fault proxies' instruments on the meter <c>Stickless.Lab.FaultProxy</c>, tagged with <c>stickless.link</c>:
/// open connections, bytes forwarded and discarded per direction, connections reset, and how long bytes were held.
/// </summary>
internal static class FaultProxyMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Stickless.Lab.FaultProxy";

    private static readonly Meter Meter = new(MeterName);

    private static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>(
        "stickless.lab.proxy.connections", "{connection}", "Connections open through the fault proxy.");

    private static readonly Counter<long> Io = Meter.CreateCounter<long>(
        "stickless.lab.proxy.io", "By", "Bytes the fault proxy read, by direction and by what became of them (forwarded or discarded).");

    private static readonly Counter<long> Resets = Meter.CreateCounter<long>(
        "stickless.lab.proxy.resets", "{connection}", "Connections the fault proxy reset (RST), by reason.");

    private static readonly Histogram<double> Held = Meter.CreateHistogram<double>(
        "stickless.lab.proxy.held", "s", "How long a chunk waited in the fault proxy between its read and its write.");

    /// <summary>A connection opened (+1) or ended (-1).</summary>
    public static void ConnectionChanged(string link, int delta) => Connections.Add(delta, new KeyValuePair<string, object?>("stickless.link", link));

    /// <summary>Bytes read in <paramref name="direction"/>, forwarded or discarded.</summary>
    public static void Bytes(string link, ProxyDirection direction, bool forwarded, long bytes)
    {
        var tags = new TagList
        {
            { "stickless.link", link },
            { "stickless.proxy.direction", direction == ProxyDirection.ClientToServer ? "client_to_server" : "server_to_client" },
            { "stickless.proxy.outcome", forwarded ? "forwarded" : "discarded" },
        };
        Io.Add(bytes, tags);
    }

    /// <summary>A connection reset, for <paramref name="reason"/> (<c>fault</c>, <c>limit</c>, <c>upstream</c>, <c>stop</c>, <c>error</c>).</summary>
    public static void Reset(string link, string reason) =>
        Resets.Add(1, new KeyValuePair<string, object?>("stickless.link", link), new KeyValuePair<string, object?>("error.type", reason));

    /// <summary>A chunk left the proxy after <paramref name="held"/>.</summary>
    public static void ChunkHeld(string link, TimeSpan held) => Held.Record(held.TotalSeconds, new KeyValuePair<string, object?>("stickless.link", link));
}
