using System.Diagnostics;
using Stickless.Testing;

namespace Stickless.Redis.StoreBench;

/// <summary>A throwaway redis-server on a free loopback port in a temporary folder, stopped by pid.</summary>
internal sealed class RedisServerProcess : IDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public static RedisServerProcess Start()
    {
        var folder = Directory.CreateTempSubdirectory("stickless-storebench-").FullName;
        var port = LoopbackPorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var server = new RedisServerProcess(process, port, folder);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var line = process.StandardOutput.ReadLine();
            if (line is null || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                server.Dispose();
                throw new InvalidOperationException("redis-server exited or did not become ready within 10 s.");
            }

            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                break;
            }
        }

        // Keep draining its log so the pipe never fills.
        _ = Task.Run(() => process.StandardOutput.ReadToEnd());
        return server;
    }

    /// <summary>Runs a redis CLI tool against this server and returns its standard output.</summary>
    public string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(Port.ToString());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill();
            throw new TimeoutException($"{tool} ran for more than 5 minutes.");
        }

        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} failed: {stderr.Result}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

}
