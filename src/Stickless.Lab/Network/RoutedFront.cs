using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Network;

/// <summary>
/// The one address a server is known by (what a Redis server announces, what sentinels hand out), in front of its
/// per-source fault proxies: each connection is handed to the proxy of the link from the process that opened it
/// (<see cref="SocketOwners"/>) to this server, so that a partition can cut some clients off and not others though all
/// of them were given the same address. A connection from a process the lab does not know (the lab's own looks) goes
/// through a link of its own that no fault touches.
/// </summary>
internal sealed class RoutedFront : IAsyncDisposable
{
    /// <summary>The name a connection from an unknown process is routed as.</summary>
    public const string UnknownSource = "lab";

    private static readonly TimeSpan[] LookupRetries = [TimeSpan.Zero, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50)];

    private readonly Socket listener;
    private readonly Func<IReadOnlyDictionary<int, string>> candidates;
    private readonly Func<string, FaultProxy?> linkFrom;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private long unknown;
    private long routed;

    private RoutedFront(string target, Socket listener, Func<IReadOnlyDictionary<int, string>> candidates, Func<string, FaultProxy?> linkFrom)
    {
        Target = target;
        this.listener = listener;
        this.candidates = candidates;
        this.linkFrom = linkFrom;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        accepting = AcceptAsync(stop.Token);
    }

    /// <summary>The server this front stands for (<c>redis1</c>).</summary>
    public string Target { get; }

    /// <summary>The port clients are given for it.</summary>
    public int Port { get; }

    /// <summary>Connections routed to a known source's link so far.</summary>
    public long Routed => Interlocked.Read(ref routed);

    /// <summary>Connections from processes the lab could not name (routed through the <see cref="UnknownSource"/> link).</summary>
    public long Unknown => Interlocked.Read(ref unknown);

    /// <summary>Starts a front on <paramref name="port"/> (0: the kernel picks).</summary>
    /// <param name="target">The server's name.</param>
    /// <param name="port">The port to listen on.</param>
    /// <param name="candidates">The lab's processes now, pid → name (asked at each connection: processes restart).</param>
    /// <param name="linkFrom">The proxy of the link from a source (a process name, or <see cref="UnknownSource"/>) to the server; null: none.</param>
    public static RoutedFront Start(string target, int port, Func<IReadOnlyDictionary<int, string>> candidates, Func<string, FaultProxy?> linkFrom)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new RoutedFront(target, listener, candidates, linkFrom);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        try
        {
            await accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = RouteAsync(client, ct);
        }
    }

    private async Task RouteAsync(Socket client, CancellationToken ct)
    {
        try
        {
            var clientPort = ((IPEndPoint)client.RemoteEndPoint!).Port;
            string? source = null;
            foreach (var wait in LookupRetries)
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                }

                source = SocketOwners.Find(clientPort, Port, candidates());
                if (source is not null)
                {
                    break;
                }
            }

            var proxy = source is null ? null : linkFrom(source);
            if (proxy is null)
            {
                Interlocked.Increment(ref unknown);
                proxy = linkFrom(UnknownSource);
            }
            else
            {
                Interlocked.Increment(ref routed);
            }

            if (proxy is null)
            {
                client.Dispose();
                return;
            }

            proxy.Adopt(client);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            client.Dispose();
        }
    }
}
