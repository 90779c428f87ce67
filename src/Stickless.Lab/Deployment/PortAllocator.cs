using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Deployment;

/// <summary>Picks free loopback ports, never the same one twice within one deployment.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> given = [];
    private readonly Lock sync = new();

    /// <summary>A port nothing listens on now (the kernel's choice).</summary>
    public int Next()
    {
        lock (sync)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                if (given.Add(port))
                {
                    return port;
                }
            }

            throw new LabException("no free loopback port.");
        }
    }

    /// <summary>
    /// A free port whose partner <paramref name="offset"/> above it is free too, both reserved: a Redis Cluster node
    /// also listens on its port + 10000 (the cluster bus).
    /// </summary>
    public int NextWithPartner(int offset)
    {
        lock (sync)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Next();
                if (port + offset <= IPEndPoint.MaxPort && !given.Contains(port + offset) && IsFree(port + offset))
                {
                    given.Add(port + offset);
                    return port;
                }
            }

            throw new LabException($"no free pair of loopback ports {offset} apart.");
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
}
