using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickless.Memcached.Tests.Infrastructure;

/// <summary>
/// An in-test TCP server that speaks just enough memcached to get a client through its handshake, then answers
/// each request with whatever the test decides: the only way to get malformed, truncated, mismatched or hostile
/// replies, which a real memcached never sends. Requests reach the test as their command line (an <c>ms</c>'s
/// data block is read and dropped).
/// </summary>
public sealed class HostileMemcachedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, string, HostileReply?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _acceptLoop;
    private int _connections;

    /// <param name="respond">Given the connection number (1-based) and the command line, the reply; null = a well-behaved answer.</param>
    public HostileMemcachedServer(Func<int, string, HostileReply?> respond)
    {
        _respond = respond;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The version the handshake reports.</summary>
    public string Version { get; init; } = "1.6.18";

    /// <summary>Every command line received, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>The opaque token of a meta request (<c>O123</c> → "123"), or "".</summary>
    public static string OpaqueOf(string command) =>
        command.Split(' ').FirstOrDefault(t => t.StartsWith('O'))?[1..] ?? "";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private HostileReply Default(string command)
    {
        var o = OpaqueOf(command);
        return command switch
        {
            "version" => HostileReply.Raw($"VERSION {Version}\r\n"),
            "stats settings" => HostileReply.Raw("STAT item_size_max 1048576\r\nEND\r\n"),
            "stats" => HostileReply.Raw("STAT uptime 100000\r\nSTAT curr_items 0\r\nEND\r\n"),
            "flush_all" => HostileReply.Raw("OK\r\n"),
            "mn" => HostileReply.Raw("MN\r\n"),
            _ when command.StartsWith("mg ", StringComparison.Ordinal) => HostileReply.Raw($"EN O{o}\r\n"),
            _ => HostileReply.Raw($"HD O{o}\r\n"),
        };
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _clients.Add(client);
            var number = Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, number);
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        var stream = client.GetStream();
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        var silent = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                pending.AddRange(buffer.AsSpan(0, read));
                foreach (var command in TakeCommands(pending))
                {
                    Received.Enqueue(command);
                    if (silent)
                    {
                        continue;
                    }

                    var reply = _respond(number, command) ?? Default(command);
                    if (reply.IsSilence)
                    {
                        silent = true;
                        continue;
                    }

                    if (reply.ByteByByte)
                    {
                        foreach (var b in reply.Bytes)
                        {
                            await stream.WriteAsync(new[] { b }, _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            await Task.Delay(1, _stop.Token);
                        }
                    }
                    else
                    {
                        await stream.WriteAsync(reply.Bytes, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                    }

                    if (reply.Close)
                    {
                        client.Client.Shutdown(SocketShutdown.Both);
                        client.Dispose();
                        return;
                    }
                }
            }
        }
        catch (Exception)
        {
            // Test over, or the client dropped the connection (it does on malformed replies).
        }
    }

    private static List<string> TakeCommands(List<byte> pending)
    {
        var commands = new List<string>();
        var offset = 0;
        while (true)
        {
            var newline = pending.IndexOf((byte)'\n', offset);
            if (newline < 0)
            {
                break;
            }

            var line = Encoding.ASCII.GetString([.. pending.GetRange(offset, newline - offset)]).TrimEnd('\r');
            var next = newline + 1;
            if (line.StartsWith("ms ", StringComparison.Ordinal))
            {
                var length = int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
                if (pending.Count < next + length + 2)
                {
                    break;
                }

                next += length + 2;
            }

            commands.Add(line);
            offset = next;
        }

        pending.RemoveRange(0, offset);
        return commands;
    }
}
