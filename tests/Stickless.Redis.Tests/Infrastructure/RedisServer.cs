using System.Diagnostics;
using System.Globalization;
using Stickless.Testing;

namespace Stickless.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server for integration tests: a free loopback port, a temporary folder, no persistence.
/// <see cref="StartAsync(string[])"/> returns once the server logs that it accepts connections; disposing
/// kills it by pid and deletes the folder. It can be paused (SIGSTOP), resumed (SIGCONT), stopped and
/// restarted on the same port, to play an unresponsive or restarting server.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string[] _extraArgs;
    private Process? _process;
    private bool _paused;

    private RedisServer(string folder, int port, string[] extraArgs)
    {
        Folder = folder;
        Port = port;
        _extraArgs = extraArgs;
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, as a connection string starts.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The server's temporary working folder.</summary>
    public string Folder { get; }

    /// <summary>The running server's process id.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Starts redis-server with the standard test flags plus <paramref name="extraArgs"/> (e.g. <c>--requirepass</c>, <c>secret</c>).</summary>
    public static async Task<RedisServer> StartAsync(params string[] extraArgs)
    {
        var folder = Directory.CreateTempSubdirectory("stickless-redis-").FullName;
        // A cluster node also listens on its port + 10000 (the cluster bus).
        var port = extraArgs.Contains("--cluster-enabled") ? LoopbackPorts.Next(partnerOffset: 10_000) : LoopbackPorts.Next();
        var server = new RedisServer(folder, port, extraArgs);
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

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing is answered.</summary>
    public void Pause()
    {
        Signal("STOP");
        _paused = true;
    }

    /// <summary>Unfreezes the server (SIGCONT).</summary>
    public void Resume()
    {
        Signal("CONT");
        _paused = false;
    }

    /// <summary>Kills the server (SIGKILL) and waits for it to exit; the port is then closed.</summary>
    public async Task StopAsync()
    {
        if (_process is null) { return; }
        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        _process.Dispose();
        _process = null;
        _paused = false;
    }

    /// <summary>Starts the server again on the same port (after <see cref="StopAsync"/>).</summary>
    public Task RestartAsync() => _process is null ? LaunchAsync() : throw new InvalidOperationException("Stop the server first.");

    /// <summary>Runs redis-cli against this server and returns its trimmed output.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. args]) { start.ArgumentList.Add(arg); }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_paused && _process is { HasExited: false }) { Resume(); }
        await StopAsync();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private async Task LaunchAsync()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        string[] standard = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Folder];
        string[] listen = ["--port", port];
        foreach (var arg in (string[])[.. listen, .. standard, .. _extraArgs]) { start.ArgumentList.Add(arg); }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process = process;
        using var timeout = new CancellationTokenSource(StartTimeout);
        var log = new List<string>();
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"redis-server exited before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, log)}");
            log.Add(line);
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal)) { break; }
        }
        // Keep draining the log so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit(5000);
        if (kill.ExitCode != 0) { throw new InvalidOperationException($"kill -{signal} {Pid} failed."); }
    }

}
