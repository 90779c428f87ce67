using System.Net;
using System.Net.Sockets;

namespace Stickless.Replication.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay for one direction of peer traffic, which a test can cut (bytes are read and dropped, connections
/// stay open: a lost network) and heal (stuck connections are closed so clients reconnect).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpRelay(int target)
    {
        _target = target;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public void Cut() => _cut = true;

    public void Heal()
    {
        List<Socket> stale;
        lock (_gate)
        {
            stale = [.. _sockets];
            _sockets.Clear();
            _cut = false;
        }

        stale.ForEach(s => s.Dispose());
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Heal();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stopping.Token);
            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (_cut)
                {
                    throw new SocketException((int)SocketError.HostUnreachable);
                }

                await upstream.ConnectAsync(IPAddress.Loopback, _target, _stopping.Token);
            }
            catch (SocketException)
            {
                // Cut or the node is down: hold the client's connection open and answer nothing.
                upstream.Dispose();
                lock (_gate)
                {
                    _sockets.Add(client);
                }

                _ = PumpAsync(client, null);
                continue;
            }

            lock (_gate)
            {
                _sockets.Add(client);
                _sockets.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket? to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
            {
                if (!_cut && to is not null)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        from.Dispose();
        to?.Dispose();
    }
}
