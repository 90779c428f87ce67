using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Chaos;

/// <summary>
/// A loopback TCP relay between a Redis master and its replicas (they are re-pointed to it with <c>REPLICAOF</c>):
/// a link the lab can slow down. <see cref="Hold"/> stops the master's replication stream from reaching the replicas
/// while their acknowledgements still reach the master, as a congested or partitioned link would; <see cref="Cut"/>
/// then drops every connection abortively, so the held bytes are never delivered.
/// </summary>
internal sealed class ReplicationRelay : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly int upstreamPort;
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly List<Socket> sockets = [];
    private readonly List<Task> pumps = [];
    private readonly Task acceptLoop;
    private volatile bool held;
    private long heldBytes;
    private int connections;

    private ReplicationRelay(int upstreamPort)
    {
        this.upstreamPort = upstreamPort;
        listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        acceptLoop = AcceptAsync(stop.Token);
    }

    /// <summary>The loopback port replicas connect to.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>Bytes of the master's stream held back since <see cref="Hold"/>.</summary>
    public long HeldBytes => Interlocked.Read(ref heldBytes);

    /// <summary>Starts a relay to the master on <paramref name="upstreamPort"/>, listening on a free loopback port.</summary>
    public static ReplicationRelay Start(int upstreamPort) => new(upstreamPort);

    /// <summary>From now on, the master's bytes no longer reach the replicas (replica to master still flows).</summary>
    public void Hold() => held = true;

    /// <summary>Stops listening and resets every connection; held bytes are dropped.</summary>
    public void Cut()
    {
        stop.Cancel();
        listener.Close();
        lock (gate)
        {
            foreach (var socket in sockets)
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (SocketException)
                {
                    // Already closed by its peer.
                }
                catch (ObjectDisposedException)
                {
                    // Already closed by its pump.
                }

                socket.Close();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Cut();
        Task[] running;
        lock (gate)
        {
            running = [acceptLoop, .. pumps];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket replica;
            var master = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                replica = await listener.AcceptAsync(ct).ConfigureAwait(false);
                lock (gate)
                {
                    sockets.Add(replica);
                    sockets.Add(master);
                }

                await master.ConnectAsync(new IPEndPoint(IPAddress.Loopback, upstreamPort), ct).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                master.Dispose();
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref connections);
            lock (gate)
            {
                pumps.Add(PumpAsync(master, replica, holdable: true, ct));
                pumps.Add(PumpAsync(replica, master, holdable: false, ct));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool holdable, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (holdable && held)
                {
                    Interlocked.Add(ref heldBytes, read);
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The link is gone (a side closed, or the relay was cut).
        }

        // One side closed: close both, abortively, as a broken link would.
        from.Close();
        to.Close();
    }
}
