using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>
/// Two Festa nodes on one real redis-server (<c>Stickless:Store=Redis</c>): the server runs on a free
/// loopback port in a temporary folder; everything is stopped by pid at the end.
/// </summary>
public sealed class RedisFestaPair : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("festa-redis-e2e-").FullName;
    private Process? _redis;

    /// <summary>The first node, "festa-redis-a".</summary>
    public FestaNode A { get; private set; } = null!;

    /// <summary>The second node, "festa-redis-b".</summary>
    public FestaNode B { get; private set; } = null!;

    /// <summary>The Redis port.</summary>
    public int RedisPort { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        RedisPort = FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _redis = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (await _redis.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        _ = _redis.StandardOutput.ReadToEndAsync();
        var users = Path.Combine(_directory, "users.jsonl");
        string[] redis = ["--Stickless:Store=Redis", $"--Stickless:Redis:Configuration=127.0.0.1:{RedisPort}"];
        A = await FestaNode.StartAsync("festa-redis-a", users, redis);
        B = await FestaNode.StartAsync("festa-redis-b", users, redis);
    }

    /// <summary>A client of <paramref name="node"/> that carries <paramref name="sessionId"/>, as a browser would when the balancer sends it elsewhere.</summary>
    public static FestaClient ClientWithSession(FestaNode node, string sessionId)
    {
        var client = node.CreateClient();
        client.Cookies.Add(node.BaseAddress, new Cookie(SessionCookie.Name, sessionId));
        return client;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
        }

        _redis?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
