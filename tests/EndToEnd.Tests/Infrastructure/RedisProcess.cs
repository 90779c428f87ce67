using System.Diagnostics;
using System.Globalization;
using Stickless.Testing;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, in a temporary folder, without persistence; stopped by pid.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private RedisProcess(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Its address as a connection string.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts redis-server and returns once it accepts connections.</summary>
    public static async Task<RedisProcess> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("stickless-e2e-redis-").FullName;
        var port = LoopbackPorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        _ = process.StandardOutput.ReadToEndAsync();
        return new RedisProcess(directory, process, port);
    }

    /// <summary>Freezes the server (SIGSTOP): its connections stay open, nothing answers.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Thaws the server (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with {kill.ExitCode}.");
        }
    }

}
