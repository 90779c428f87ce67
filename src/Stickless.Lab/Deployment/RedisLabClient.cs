using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickless.Lab.Deployment;

/// <summary>
/// Just enough RESP for the lab to ask a Redis server a question (PING, ZCOUNT, INFO): one connection per
/// command, a one-second budget. The lab does not depend on the Stickless Redis client it measures.
/// </summary>
internal static class RedisLabClient
{
    /// <summary>Sends one command; answers a string (simple or bulk), a long, null, or an object array. A server error throws.</summary>
    public static async Task<object?> ExecuteAsync(int port, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var request = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{command.Count}\r\n");
        foreach (var word in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await ReadAsync(reader, timeout.Token).ConfigureAwait(false);
    }

    private static async Task<object?> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new IOException("Redis closed the connection.");
        if (line.Length == 0)
        {
            throw new IOException("Empty reply line from Redis.");
        }

        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return rest;
            case '-':
                throw new IOException($"Redis error: {rest}");
            case ':':
                return long.Parse(rest, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var buffer = new char[length];
                var read = 0;
                while (read < length)
                {
                    var n = await reader.ReadAsync(buffer.AsMemory(read, length - read), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new IOException("Redis closed the connection mid-reply.");
                    }

                    read += n;
                }

                await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                return new string(buffer);
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
                }

                return items;
            default:
                throw new IOException($"Unexpected Redis reply: {line}");
        }
    }
}
