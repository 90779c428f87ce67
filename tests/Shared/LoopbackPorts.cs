using System.Net;
using System.Net.Sockets;

namespace Stickless.Testing;

/// <summary>
/// Free loopback ports for the servers a test starts, never the same one twice in a process.
/// </summary>
/// <remarks>
/// Asking the kernel for port 0 and closing the socket hands back a port from the ephemeral range, which every outgoing
/// connection of the machine draws from too: between the check and the server's bind, a client's connection may take
/// it (CI saw "address already in use"), and two calls may return the same port. Ports come instead from below the
/// ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>), which outgoing connections never use, starting at
/// an offset drawn from the process id so that test processes running side by side rarely probe the same ones.
/// </remarks>
internal static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private static readonly Lock Sync = new();
    private static readonly HashSet<int> Given = [];
    private static readonly int Highest = EphemeralRangeStart() - 1;
    private static int _next = Lowest + (Environment.ProcessId * 7919 % Math.Max(1, Highest - Lowest));

    /// <summary>A port nothing listens on now, outside the ephemeral range, not handed out before by this process.</summary>
    public static int Next() => Next(partnerOffset: 0);

    /// <summary>
    /// A port as <see cref="Next()"/> whose partner <paramref name="partnerOffset"/> above it is free and outside the
    /// ephemeral range too, both reserved: a Redis Cluster node also listens on its port + 10000 (the cluster bus).
    /// </summary>
    public static int Next(int partnerOffset)
    {
        var highest = Highest - partnerOffset;
        lock (Sync)
        {
            for (var attempt = 0; attempt < Highest - Lowest; attempt++)
            {
                var port = _next;
                _next = _next >= Highest ? Lowest : _next + 1;
                if (port > highest || Given.Contains(port) || (partnerOffset != 0 && Given.Contains(port + partnerOffset)))
                {
                    continue;
                }

                if (IsFree(port) && (partnerOffset == 0 || IsFree(port + partnerOffset)))
                {
                    Given.Add(port);
                    if (partnerOffset != 0)
                    {
                        Given.Add(port + partnerOffset);
                    }

                    return port;
                }
            }

            throw new InvalidOperationException($"no free loopback port between {Lowest} and {highest}.");
        }
    }

    /// <summary>True when a listener could bind 127.0.0.1:<paramref name="port"/> now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var start) && start > Lowest + 1_000 ? start : 32_768;
        }
        catch (IOException)
        {
            return 32_768;
        }
    }
}
