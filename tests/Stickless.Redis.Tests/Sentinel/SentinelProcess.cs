using System.Diagnostics;
using System.Globalization;
using Stickless.Testing;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>
/// A real redis-sentinel on a free loopback port, with its own writable sentinel.conf in a temporary folder
/// (Sentinel rewrites its configuration file). Started once it logs <c>+monitor master</c>; disposing kills it
/// by pid and deletes the folder.
/// </summary>
public sealed class SentinelProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waiters = [];

    private SentinelProcess(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Folder { get; }

    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts a sentinel that monitors <paramref name="masterName"/> at 127.0.0.1:<paramref name="masterPort"/> with quorum 2.</summary>
    public static async Task<SentinelProcess> StartAsync(string masterName, int masterPort, int downAfterMs, int failoverTimeoutMs)
    {
        var folder = Directory.CreateTempSubdirectory("stickless-sentinel-").FullName;
        var port = LoopbackPorts.Next();
        var config = Path.Combine(folder, "sentinel.conf");
        await File.WriteAllLinesAsync(config,
        [
            $"port {port}",
            "bind 127.0.0.1",
            $"dir {folder}",
            "sentinel resolve-hostnames no",
            $"sentinel monitor {masterName} 127.0.0.1 {masterPort} 2",
            $"sentinel down-after-milliseconds {masterName} {downAfterMs}",
            $"sentinel failover-timeout {masterName} {failoverTimeoutMs}",
        ]);
        var start = new ProcessStartInfo("redis-sentinel") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-sentinel did not start.");
        var sentinel = new SentinelProcess(process, folder, port);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            var log = new List<string>();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"redis-sentinel exited before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, log)}");
                log.Add(line);
                if (line.Contains("+monitor master", StringComparison.Ordinal)) { break; }
            }
            // Keep reading the log (so the sentinel never blocks on a full pipe), and tell waiters what it says.
            _ = sentinel.ReadLogAsync();
        }
        catch
        {
            await sentinel.DisposeAsync();
            throw;
        }
        return sentinel;
    }

    /// <summary>Freezes the sentinel (SIGSTOP).</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Unfreezes the sentinel (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>
    /// Completes when this sentinel logs a line containing <paramref name="marker"/> (for example
    /// <c>+switch-master</c>) after <paramref name="since"/> lines; fails after <paramref name="timeout"/>.
    /// </summary>
    public Task WaitForLogAsync(string marker, int since, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_log.Skip(since).Any(l => l.Contains(marker, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((marker, seen));
        }

        return seen.Task.WaitAsync(timeout);
    }

    /// <summary>How many lines the sentinel has logged so far (a starting point for <see cref="WaitForLogAsync"/>).</summary>
    public int LogLength
    {
        get
        {
            lock (_gate)
            {
                return _log.Count;
            }
        }
    }

    private async Task ReadLogAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _log.Add(line);
                foreach (var waiter in _waiters.Where(w => line.Contains(w.Marker, StringComparison.Ordinal)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult();
                }
            }
        }
    }

    /// <summary>Runs redis-cli against this sentinel; returns its trimmed output, one reply element a line.</summary>
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
        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

}
