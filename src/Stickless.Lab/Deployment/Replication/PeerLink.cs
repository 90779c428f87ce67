using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Deployment.Replication;

/// <summary>
/// The smallest TCP relay the partition fault needs, for one direction of peer traffic (node A's calls to node B): it
/// forwards bytes both ways until <see cref="Cut"/>, then black-holes them (reads and drops, answers nothing, keeps the
/// connections open, as a lost network does); <see cref="HealAsync"/> closes the stuck connections so clients reconnect,
/// and forwards again. Memory is bounded by one 16 KiB buffer per direction per connection.
/// </summary>
internal sealed class PeerLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(Socket Client, Socket? Upstream)> _connections = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public PeerLink(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The loopback port the calling node connects to.</summary>
    public int Port { get; }

    /// <summary>True while the link black-holes its traffic.</summary>
    public bool IsCut => _cut;

    /// <summary>Bytes dropped while cut.</summary>
    public long BytesDropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>Stops forwarding: every byte in either direction is read and dropped.</summary>
    public void Cut() => _cut = true;

    /// <summary>Forwards again, after closing the connections that lived through the cut (their streams are broken).</summary>
    public ValueTask HealAsync()
    {
        List<(Socket, Socket?)> stale;
        lock (_gate)
        {
            stale = [.. _connections];
            _connections.Clear();
            _cut = false;
        }

        foreach (var (client, upstream) in stale)
        {
            Close(client);
            Close(upstream);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await HealAsync().ConfigureAwait(false);
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            Socket? upstream = null;
            if (!_cut)
            {
                upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // The node is down: so is the link.
                    Close(client);
                    Close(upstream);
                    continue;
                }
            }

            client.NoDelay = true;
            lock (_gate)
            {
                _connections.Add((client, upstream));
            }

            _ = PumpAsync(client, upstream);
            if (upstream is not null)
            {
                _ = PumpAsync(upstream, client);
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket? to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (_cut || to is null)
                {
                    Interlocked.Add(ref _dropped, read);
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended.
        }

        Close(from);
        Close(to);
    }

    private static void Close(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }
}
