using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickless.Testing;

namespace Stickless.StoreBench;

/// <summary>A memcached or redis-server the bench starts on a free loopback port and kills by pid when done.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static Task<ServerProcess> StartMemcachedAsync(int memoryMegabytes)
    {
        var port = LoopbackPorts.Next();
        List<string> args = ["-l", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "0", "-t", "2",
            "-m", memoryMegabytes.ToString(CultureInfo.InvariantCulture), "-c", "4096"];
        if (Environment.UserName == "root")
        {
            args.AddRange(["-u", "root"]);
        }

        return StartAsync("memcached", args, port);
    }

    public static Task<ServerProcess> StartRedisAsync()
    {
        var port = LoopbackPorts.Next();
        return StartAsync("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], port);
    }

    /// <summary>Sends one text command on a fresh connection; returns the reply read until <paramref name="terminator"/>.</summary>
    public async Task<string> CommandAsync(string command, string terminator)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var text = new StringBuilder();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().EndsWith(terminator, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>A memcached's <c>stats</c> (or a redis <c>INFO</c> section's fields), by name.</summary>
    public async Task<Dictionary<string, long>> NumbersAsync(string command, string terminator, char separator)
    {
        var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (await CommandAsync(command, terminator)).Split("\r\n"))
        {
            var text = line.StartsWith("STAT ", StringComparison.Ordinal) ? line[5..] : line;
            var cut = text.IndexOf(separator);
            if (cut > 0 && long.TryParse(text[(cut + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                numbers[text[..cut]] = value;
            }
        }

        return numbers;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task<ServerProcess> StartAsync(string program, IEnumerable<string> args, int port)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new ServerProcess(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

}
