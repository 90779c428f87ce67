using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Deployment;

/// <summary>Picks free loopback ports, below the ephemeral range, never the same one twice within one deployment.</summary>
internal sealed class PortAllocator
{
    private const int Lowest = 10_000;
    private static readonly int Highest = EphemeralRangeStart() - 1;
    // Shared by every allocator of the process, so that deployments started one after another (or side by side, in tests)
    // walk on instead of probing the ports the last one just released.
    private static int next = Lowest + (Environment.ProcessId * 7919 % (Highest - Lowest));

    private readonly HashSet<int> given = [];
    private readonly Lock sync = new();

    /// <summary>A port nothing listens on now, below the kernel's ephemeral range, not given before by this allocator.</summary>
    /// <remarks>
    /// The kernel's own choice (binding port 0) comes from the ephemeral range that every outgoing connection draws from:
    /// between this check and the server's bind, a client's connection could take it. Ports below that range are never
    /// taken that way. The walk starts at an offset drawn from the process id, so that two labs side by side rarely meet.
    /// </remarks>
    public int Next() => Walk(partnerOffset: 0);

    /// <summary>
    /// A free port whose partner <paramref name="offset"/> above it is free and below the ephemeral range too, both
    /// reserved: a Redis Cluster node also listens on its port + 10000 (the cluster bus).
    /// </summary>
    public int NextWithPartner(int offset) => Walk(offset);

    private int Walk(int partnerOffset)
    {
        var highest = Highest - partnerOffset;
        lock (sync)
        {
            for (var attempt = 0; attempt < Highest - Lowest; attempt++)
            {
                var port = Interlocked.Increment(ref next);
                if (port > Highest)
                {
                    Interlocked.CompareExchange(ref next, Lowest, port);
                    continue;
                }

                if (port > highest || given.Contains(port) || (partnerOffset != 0 && given.Contains(port + partnerOffset)))
                {
                    continue;
                }

                if (IsFree(port) && (partnerOffset == 0 || IsFree(port + partnerOffset)))
                {
                    given.Add(port);
                    if (partnerOffset != 0)
                    {
                        given.Add(port + partnerOffset);
                    }

                    return port;
                }
            }

            throw new LabException(partnerOffset == 0
                ? $"no free loopback port between {Lowest} and {Highest}."
                : $"no free pair of loopback ports {partnerOffset} apart below {Highest}.");
        }
    }

    /// <summary>Reserves <paramref name="port"/> when it is free; false when something listens on it.</summary>
    public bool TryTake(int port)
    {
        lock (sync)
        {
            if (given.Contains(port) || !IsFree(port))
            {
                return false;
            }

            given.Add(port);
            return true;
        }
    }

    /// <summary>True when a listener could bind 127.0.0.1:<paramref name="port"/> now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
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
