using System.Net.Sockets;

namespace Stickless.Lab.Network;

/// <summary>
/// One client connection through a <see cref="FaultProxy"/> and its upstream connection: a pump each way. The upstream
/// is connected at once, unless the client→server direction is blocked or black-holed (no connection gets through
/// such a link), in which case it is connected when that direction forwards again. It ends when both directions have
/// forwarded their end of stream, or at once by a reset, a drop or a broken side.
/// </summary>
internal sealed class ProxyConnection : IDisposable
{
    private readonly Socket client;
    private readonly CancellationTokenSource stop = new();
    private readonly DirectionPump toServer;
    private readonly DirectionPump toClient;
    private readonly Task<Socket?> clientSide;
    private Task<Socket?>? upstream;
    private volatile Socket? upstreamSocket;
    private int upstreamRequested;
    private int ended;

    public ProxyConnection(FaultProxy proxy, Socket client)
    {
        Proxy = proxy;
        this.client = client;
        clientSide = Task.FromResult<Socket?>(client);
        toServer = new DirectionPump(this, ProxyDirection.ClientToServer, _ => clientSide, _ => Upstream);
        toClient = new DirectionPump(this, ProxyDirection.ServerToClient, _ => Upstream, _ => clientSide);
    }

    /// <summary>The proxy this connection belongs to.</summary>
    public FaultProxy Proxy { get; }

    /// <summary>True once the link let this connection through to the upstream (a connect was attempted).</summary>
    public bool UpstreamRequested => Volatile.Read(ref upstreamRequested) != 0;

    /// <summary>Bytes read and not yet written, both directions.</summary>
    public long Buffered => toServer.Buffered + toClient.Buffered;

    private Task<Socket?> Upstream => upstream ?? throw new InvalidOperationException("The connection has not started.");

    /// <summary>Runs both directions until the connection ends; never throws.</summary>
    public async Task RunAsync()
    {
        var ct = stop.Token;
        upstream = ConnectUpstreamAsync(ct);
        await Task.WhenAll(toServer.RunAsync(ct), toClient.RunAsync(ct)).ConfigureAwait(false);
        Close();
    }

    /// <summary>Frees the stop token; only once <see cref="RunAsync"/> has returned.</summary>
    public void Dispose() => stop.Dispose();

    /// <summary>Resets both sides (RST) now; <paramref name="reason"/> is <c>fault</c>, <c>upstream</c>, <c>manual</c>, <c>stop</c> or <c>error</c>.</summary>
    public void Reset(string reason)
    {
        if (!TryEnd())
        {
            return;
        }

        // Counted before the sockets go, so that whoever sees the reset also sees it counted.
        Proxy.CountReset(reason);
        Abort(client);
        Abort(upstreamSocket);
        FaultProxyLog.ConnectionReset(Proxy.Options.Logger, Proxy.Name, reason);
    }

    /// <summary>Closes both sides (FIN) because a chunk in <paramref name="direction"/> was dropped.</summary>
    public void CloseByDrop(ProxyDirection direction)
    {
        if (!TryEnd())
        {
            return;
        }

        Proxy.CountDrop();
        Shut(client);
        Shut(upstreamSocket);
        FaultProxyLog.ConnectionDropped(Proxy.Options.Logger, Proxy.Name, direction);
    }

    /// <summary>Closes both sides (FIN): the normal end once both directions are done.</summary>
    public void Close()
    {
        if (TryEnd())
        {
            Shut(client);
            Shut(upstreamSocket);
        }
    }

    private static void Abort(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            // Linger on with a zero timeout: close sends RST, not FIN.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Dispose();
    }

    private static void Shut(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already reset by its peer: disposing is all there is left to do.
        }

        socket.Dispose();
    }

    private bool TryEnd()
    {
        if (Interlocked.Exchange(ref ended, 1) != 0)
        {
            return false;
        }

        stop.Cancel();
        toServer.Close();
        toClient.Close();
        return true;
    }

    private async Task<Socket?> ConnectUpstreamAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var changed = Proxy.Signal.Next;
                if (Proxy.Faults.ClientToServer.Passes)
                {
                    break;
                }

                await changed.WaitAsync(ct).ConfigureAwait(false);
            }

            Volatile.Write(ref upstreamRequested, 1);
            var socket = new Socket(Proxy.Upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Proxy.Options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(Proxy.Upstream, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SocketException || (exception is OperationCanceledException && !ct.IsCancellationRequested))
            {
                socket.Dispose();
                FaultProxyLog.UpstreamUnreachable(Proxy.Options.Logger, Proxy.Name, Proxy.Upstream, exception);
                Reset("upstream");
                return null;
            }

            upstreamSocket = socket;
            if (Volatile.Read(ref ended) != 0)
            {
                // Ended while connecting: nobody else will close it.
                Abort(socket);
                return null;
            }

            return socket;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
