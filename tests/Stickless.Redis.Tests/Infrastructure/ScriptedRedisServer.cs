using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Tests.Infrastructure;

/// <summary>
/// A tiny in-test TCP server that answers each command with whatever the test decides: the only way to get
/// malformed, truncated or hostile replies, which a real redis-server never sends. It parses the client's
/// commands with <see cref="RespReader"/> and answers <c>PING</c> with <c>+PONG</c> unless told otherwise.
/// </summary>
public sealed class ScriptedRedisServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, string[], ScriptedReply?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _acceptLoop;
    private int _connections;

    /// <param name="respond">Given the connection number (1-based) and the command words, the reply; null = default (PING → PONG, else +OK).</param>
    public ScriptedRedisServer(Func<int, string[], ScriptedReply?> respond)
    {
        _respond = respond;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>How many connections were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients) { client.Dispose(); }
        try { await _acceptLoop; } catch (Exception) { /* stopping */ }
        _stop.Dispose();
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
                if (read == 0) { return; }
                pending.AddRange(buffer.AsSpan(0, read));
                foreach (var command in TakeCommands(pending))
                {
                    if (silent) { continue; }
                    var reply = _respond(number, command) ?? (command[0].Equals("PING", StringComparison.OrdinalIgnoreCase) ? ScriptedReply.Raw("+PONG\r\n") : ScriptedReply.Raw("+OK\r\n"));
                    if (reply.Delay > TimeSpan.Zero) { await Task.Delay(reply.Delay, _stop.Token); }
                    await stream.WriteAsync(reply.Bytes, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    if (reply.IsSilence) { silent = true; }
                    if (reply.Close)
                    {
                        client.Client.Shutdown(SocketShutdown.Both);
                        client.Dispose();
                        return;
                    }
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || !client.Connected)
        {
            // Test over, or the client went away.
        }
        catch (IOException)
        {
            // The client dropped the connection (it tears down on malformed replies).
        }
    }

    private static List<string[]> TakeCommands(List<byte> pending)
    {
        var commands = new List<string[]>();
        var sequence = new ReadOnlySequence<byte>(pending.ToArray());
        var reader = new RespReader(sequence);
        while (reader.TryRead(out var value))
        {
            commands.Add([.. value.Items.Select(i => i.GetString() ?? string.Empty)]);
        }
        pending.RemoveRange(0, (int)reader.Consumed);
        return commands;
    }
}
