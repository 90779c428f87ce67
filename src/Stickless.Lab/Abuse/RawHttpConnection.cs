using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickless.Lab.Abuse;

/// <summary>
/// An HTTP/1.1 client over a bare socket, so the abuse run can send what no well-behaved client library would: forged
/// and malformed header lines, bodies whose length lies, requests sent a byte at a time. It keeps its connection while
/// the server keeps it open and reconnects after a close. Bounded: a response's head at most 16 KiB, its body at most
/// <see cref="MaxBodyBytes"/> (the rest is read and dropped up to 4 times that, then the connection is closed), every
/// exchange at most the timeout. Never throws for a network failure: the outcome says what happened.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    /// <summary>The most body bytes kept per response.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const int MaxHeadBytes = 16 * 1024;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly IPEndPoint endpoint;
    private readonly TimeSpan timeout;
    private readonly byte[] buffer = new byte[16 * 1024];
    private Socket? socket;
    private int start;
    private int end;

    /// <summary>Creates a connection to <paramref name="endpoint"/>; nothing is opened before the first send.</summary>
    public RawHttpConnection(IPEndPoint endpoint, TimeSpan timeout)
    {
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    /// <summary>Sends <paramref name="request"/> (whole requests, as bytes) and reads one response.</summary>
    public async Task<RawHttpResponse> SendAsync(ReadOnlyMemory<byte> request, bool headRequest, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            var open = await EnsureOpenAsync(bounded.Token).ConfigureAwait(false);
            if (open is null)
            {
                return RawHttpResponse.Failed(RawOutcome.Refused, Stopwatch.GetElapsedTime(started));
            }

            await open.SendAsync(request, SocketFlags.None, bounded.Token).ConfigureAwait(false);
            return await ReadResponseAsync(open, headRequest, started, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Close();
            return RawHttpResponse.Failed(RawOutcome.TimedOut, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            Close();
            return RawHttpResponse.Failed(RawOutcome.Closed, Stopwatch.GetElapsedTime(started));
        }
        catch
        {
            Close();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> in pieces of <paramref name="pieceBytes"/> with <paramref name="pause"/> between
    /// them (a slow client), then reads one response. The timeout covers the whole exchange.
    /// </summary>
    /// <param name="request">The whole request.</param>
    /// <param name="pieceBytes">The first piece's size (and every piece's, unless <paramref name="afterFirst"/> says otherwise).</param>
    /// <param name="pause">The pause after each piece.</param>
    /// <param name="ct">Cancels the exchange.</param>
    /// <param name="afterFirst">The size and pause of the pieces after the first (a head sent whole, then a body that trickles).</param>
    public async Task<RawHttpResponse> SendSlowlyAsync(ReadOnlyMemory<byte> request, int pieceBytes, TimeSpan pause, CancellationToken ct, (int Bytes, TimeSpan Pause)? afterFirst = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            var open = await EnsureOpenAsync(bounded.Token).ConfigureAwait(false);
            if (open is null)
            {
                return RawHttpResponse.Failed(RawOutcome.Refused, Stopwatch.GetElapsedTime(started));
            }

            var size = pieceBytes;
            var wait = pause;
            var offset = 0;
            while (offset < request.Length)
            {
                var piece = request.Slice(offset, Math.Min(size, request.Length - offset));
                await open.SendAsync(piece, SocketFlags.None, bounded.Token).ConfigureAwait(false);
                offset += piece.Length;

                // A server that gave up answers (or closes) while we are still sending: stop and read what it said.
                if (open.Available > 0 || open.Poll(0, SelectMode.SelectRead))
                {
                    break;
                }

                await Task.Delay(wait, bounded.Token).ConfigureAwait(false);
                if (afterFirst is { } rest)
                {
                    (size, wait) = rest;
                }
            }

            return await ReadResponseAsync(open, headRequest: false, started, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Close();
            return RawHttpResponse.Failed(RawOutcome.TimedOut, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            Close();
            return RawHttpResponse.Failed(RawOutcome.Closed, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    private async Task<Socket?> EnsureOpenAsync(CancellationToken ct)
    {
        if (socket is not null)
        {
            return socket;
        }

        var opened = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await opened.ConnectAsync(endpoint, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            opened.Dispose();
            return null;
        }

        start = end = 0;
        socket = opened;
        return opened;
    }

    private void Close()
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            // Reset rather than FIN: thousands of abusive connections must not pile up in TIME_WAIT on the lab's side.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset.
        }

        socket.Dispose();
        socket = null;
        start = end = 0;
    }

    private async Task<RawHttpResponse> ReadResponseAsync(Socket open, bool headRequest, long started, CancellationToken ct)
    {
        while (true)
        {
            var head = await ReadHeadAsync(open, ct).ConfigureAwait(false);
            if (head is null)
            {
                Close();
                return RawHttpResponse.Failed(RawOutcome.Closed, Stopwatch.GetElapsedTime(started));
            }

            var (status, headers, http10) = head.Value;
            if (status is >= 100 and < 200 && status != 101)
            {
                continue; // 100 Continue and friends: the real answer follows.
            }

            var body = await ReadBodyAsync(open, status, headers, headRequest, ct).ConfigureAwait(false);
            var closeAfter = http10 || body.CloseAfter || headers.Any(static h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("close", StringComparison.OrdinalIgnoreCase));
            if (closeAfter)
            {
                Close();
            }

            return body.Complete
                ? new RawHttpResponse(RawOutcome.Answered, status, headers, body.Bytes, Stopwatch.GetElapsedTime(started))
                : new RawHttpResponse(RawOutcome.Closed, status, headers, body.Bytes, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<(int Status, List<KeyValuePair<string, string>> Headers, bool Http10)?> ReadHeadAsync(Socket open, CancellationToken ct)
    {
        while (true)
        {
            var at = buffer.AsSpan(start, end - start).IndexOf(HeadEnd);
            if (at >= 0)
            {
                var text = Encoding.Latin1.GetString(buffer, start, at);
                start += at + HeadEnd.Length;
                return ParseHead(text);
            }

            if (end - start >= MaxHeadBytes || !await FillAsync(open, ct).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private static (int, List<KeyValuePair<string, string>>, bool)? ParseHead(string text)
    {
        var lines = text.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return (status, headers, statusLine[0] == "HTTP/1.0");
    }

    private async Task<(byte[] Bytes, bool Complete, bool CloseAfter)> ReadBodyAsync(
        Socket open, int status, List<KeyValuePair<string, string>> headers, bool headRequest, CancellationToken ct)
    {
        if (headRequest || status is 204 or 304)
        {
            return ([], true, false);
        }

        var chunked = headers.Any(static h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var lengthText = headers.FirstOrDefault(static h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        var body = new MemoryStream();
        if (chunked)
        {
            while (true)
            {
                var line = await ReadLineAsync(open, ct).ConfigureAwait(false);
                if (line is null || !int.TryParse(line.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
                {
                    return (body.ToArray(), false, true);
                }

                if (size == 0)
                {
                    // Trailers, up to the empty line.
                    while (await ReadLineAsync(open, ct).ConfigureAwait(false) is { Length: > 0 })
                    {
                    }

                    return (body.ToArray(), true, false);
                }

                if (!await CopyAsync(open, size, body, ct).ConfigureAwait(false) || await ReadLineAsync(open, ct).ConfigureAwait(false) is null)
                {
                    return (body.ToArray(), false, true);
                }
            }
        }

        if (lengthText is not null)
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > 4L * MaxBodyBytes)
            {
                return ([], false, true);
            }

            var complete = await CopyAsync(open, (int)length, body, ct).ConfigureAwait(false);
            return (body.ToArray(), complete, !complete);
        }

        // No length: the body runs to the close.
        while (await FillAsync(open, ct).ConfigureAwait(false))
        {
            Keep(body, end - start);
            if (body.Length >= 4L * MaxBodyBytes)
            {
                break;
            }
        }

        Keep(body, end - start);
        return (body.ToArray(), true, true);
    }

    private async Task<bool> CopyAsync(Socket open, int count, MemoryStream body, CancellationToken ct)
    {
        var left = count;
        while (left > 0)
        {
            if (end == start && !await FillAsync(open, ct).ConfigureAwait(false))
            {
                return false;
            }

            var take = Math.Min(left, end - start);
            Keep(body, take);
            left -= take;
        }

        return true;
    }

    private void Keep(MemoryStream body, int count)
    {
        var kept = (int)Math.Min(count, Math.Max(0, MaxBodyBytes - body.Length));
        body.Write(buffer, start, kept);
        start += count;
    }

    private async Task<string?> ReadLineAsync(Socket open, CancellationToken ct)
    {
        while (true)
        {
            var at = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(buffer, start, at);
                start += at + 2;
                return line;
            }

            if (end - start >= buffer.Length / 2 || !await FillAsync(open, ct).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async Task<bool> FillAsync(Socket open, CancellationToken ct)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            return false;
        }

        var read = await open.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, ct).ConfigureAwait(false);
        end += read;
        return read > 0;
    }
}
