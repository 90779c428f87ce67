using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stickless.Testing;

namespace Stickless.Memcached.Tests.Infrastructure;

/// <summary>
/// A real memcached for integration tests, on a free loopback port. <see cref="StartAsync"/> returns once the port
/// accepts connections; disposing kills it by pid. It can be paused (SIGSTOP), resumed (SIGCONT), killed
/// (SIGKILL) and started again, empty, on the same port.
/// </summary>
public sealed class MemcachedServer : IAsyncDisposable
{
    private readonly string[] _extraArgs;
    private Process? _process;
    private bool _paused;

    private MemcachedServer(int port, string[] extraArgs)
    {
        Port = port;
        _extraArgs = extraArgs;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public int Pid => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Starts memcached with <c>-m 64 -U 0 -t 2</c> plus <paramref name="extraArgs"/> (e.g. <c>-I</c>, <c>2m</c>).</summary>
    public static async Task<MemcachedServer> StartAsync(params string[] extraArgs)
    {
        var server = new MemcachedServer(LoopbackPorts.Next(), extraArgs);
        try
        {
            await server.LaunchAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public void Pause()
    {
        Signal("STOP");
        _paused = true;
    }

    public void Resume()
    {
        Signal("CONT");
        _paused = false;
    }

    /// <summary>SIGKILL, and wait for the exit.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (_paused)
        {
            Resume();
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts it again, empty, on the same port (after <see cref="KillAsync"/>).</summary>
    public Task RestartAsync() => _process is null ? LaunchAsync() : throw new InvalidOperationException("Kill the server first.");

    /// <summary>Sends one text command over a fresh connection and returns the reply up to and including its last line.</summary>
    public async Task<string> CommandAsync(string command, string terminator = "END\r\n")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[256 * 1024];
        var text = "";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.EndsWith(terminator, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }

        return text;
    }

    /// <summary>The number of items the server holds (<c>stats</c> curr_items).</summary>
    public async Task<long> ItemCountAsync()
    {
        var stats = await CommandAsync("stats");
        foreach (var line in stats.Split("\r\n"))
        {
            if (line.StartsWith("STAT curr_items ", StringComparison.Ordinal))
            {
                return long.Parse(line["STAT curr_items ".Length..], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo("memcached") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] standard = ["-l", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "0", "-m", "64", "-t", "2", "-u", "root"];
        foreach (var arg in (string[])[.. standard, .. _extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("memcached did not start.");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"memcached exited with {_process.ExitCode} before it was ready.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

}
