using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickless.Lab.Tests.Network;

/// <summary>A plain TCP client for the proxy tests: send bytes, receive exactly N bytes within a bound, time round trips.</summary>
internal sealed class TestClient : IDisposable
{
    private TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<TestClient> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new TestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var sent = await Socket.SendAsync(data, SocketFlags.None, ct);
            data = data[sent..];
        }
    }

    public Task SendAsync(string text, CancellationToken ct) => SendAsync(Encoding.ASCII.GetBytes(text), ct);

    /// <summary>Reads exactly <paramref name="count"/> bytes; fewer when the stream ends first. Throws when <paramref name="within"/> passes.</summary>
    public async Task<byte[]> ReceiveAsync(int count, TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = await Socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return buffer[..total];
            }

            total += read;
        }

        return buffer;
    }

    public async Task<string> ReceiveTextAsync(int count, TimeSpan within, CancellationToken ct) =>
        Encoding.ASCII.GetString(await ReceiveAsync(count, within, ct));

    /// <summary>Sends <paramref name="request"/> and times until <paramref name="replyLength"/> bytes came back.</summary>
    public async Task<(string Reply, TimeSpan Elapsed)> RoundTripAsync(string request, int replyLength, TimeSpan within, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await SendAsync(request, ct);
        var reply = await ReceiveTextAsync(replyLength, within, ct);
        return (reply, watch.Elapsed);
    }

    public void Dispose() => Socket.Dispose();
}
