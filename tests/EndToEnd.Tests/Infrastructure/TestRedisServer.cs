using System.Diagnostics;
using System.Globalization;
using Stickless.Testing;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>A throwaway redis-server on a free loopback port, files in <see cref="Directory"/>; disposing kills it by pid.</summary>
public sealed class TestRedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private TestRedisServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Its working folder.</summary>
    public string Directory { get; }

    /// <summary>Starts the server in <paramref name="directory"/> and returns once it accepts connections (bounded: 10 s).</summary>
    public static async Task<TestRedisServer> StartAsync(string directory)
    {
        var port = LoopbackPorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var server = new TestRedisServer(process, port, directory);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return server;
                }
            }

            throw new InvalidOperationException("redis-server exited before accepting connections.");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

}
