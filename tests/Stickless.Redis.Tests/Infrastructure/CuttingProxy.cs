using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickless.Redis.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on a free loopback port in front of a redis-server. Armed with <see cref="CutAfterReplyTo"/>, it lets the
/// next command that contains a marker through to the server, waits until the server answers, and then closes both
/// sides instead of passing the answer on: the client has written the command, the server has run it, and the client
/// never learns the outcome (an ambiguous failure).
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Lock _gate = new();
    private byte[]? _marker;
    private TaskCompletionSource? _cut;

    public CuttingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _pumps.Add(AcceptAsync());
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Arms the cut: the next command containing <paramref name="marker"/> runs, and its connection dies before the reply. Completes when it did.</summary>
    public Task CutAfterReplyTo(string marker)
    {
        lock (_gate)
        {
            _marker = Encoding.UTF8.GetBytes(marker);
            _cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _cut.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Task.WhenAll(_pumps);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target), _stop.Token);
            var connection = new Connection(client, server);
            lock (_gate)
            {
                _pumps.Add(PumpAsync(connection, toServer: true));
                _pumps.Add(PumpAsync(connection, toServer: false));
            }
        }
    }

    private async Task PumpAsync(Connection connection, bool toServer)
    {
        var from = toServer ? connection.Client : connection.Server;
        var to = toServer ? connection.Server : connection.Client;
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (toServer)
                {
                    lock (_gate)
                    {
                        if (_marker is not null && buffer.AsSpan(0, read).IndexOf(_marker) >= 0)
                        {
                            connection.CutOnNextReply = true;
                            _marker = null;
                        }
                    }
                }
                else if (connection.CutOnNextReply)
                {
                    connection.Close();
                    lock (_gate)
                    {
                        _cut?.TrySetResult();
                    }

                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            connection.Close();
        }
    }

    private sealed class Connection(Socket client, Socket server)
    {
        private int _closed;

        public Socket Client { get; } = client;

        public Socket Server { get; } = server;

        public volatile bool CutOnNextReply;

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Client.Dispose();
                Server.Dispose();
            }
        }
    }
}
