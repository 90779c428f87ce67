using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EndToEnd.Tests.Infrastructure;
using Stickless.Testing;

namespace EndToEnd.Tests.TwoNodes;

/// <summary>
/// Two Festa nodes on a ring of three real memcached servers with backup copies (<c>Stickless:Store=Memcached</c>,
/// <c>Backup=true</c>): the servers run on free loopback ports; everything is stopped by pid at the end.
/// </summary>
public sealed class MemcachedFestaPair : IFestaPair, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("festa-memcached-e2e-").FullName;
    private readonly List<Process> _servers = [];

    /// <summary>The first node, "festa-mc-a".</summary>
    public FestaNode A { get; private set; } = null!;

    /// <summary>The second node, "festa-mc-b".</summary>
    public FestaNode B { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var ports = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var port = LoopbackPorts.Next();
            var start = new ProcessStartInfo("memcached") { UseShellExecute = false };
            foreach (var argument in (string[])["-l", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "0", "-m", "64", "-t", "2", "-u", "root"])
            {
                start.ArgumentList.Add(argument);
            }

            _servers.Add(Process.Start(start) ?? throw new InvalidOperationException("memcached did not start."));
            await WaitListeningAsync(port);
            ports.Add(port);
        }

        var users = Path.Combine(_directory, "users.jsonl");
        List<string> memcached = ["--Stickless:Store=Memcached", "--Stickless:Memcached:Backup=true", "--Stickless:Memcached:HashKey=end-to-end-hash-key-0123456789abcdef"];
        memcached.AddRange(ports.Select((p, i) => $"--Stickless:Memcached:Servers:{i}=127.0.0.1:{p}"));
        A = await FestaNode.StartAsync("festa-mc-a", users, memcached);
        B = await FestaNode.StartAsync("festa-mc-b", users, memcached);
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

        foreach (var server in _servers)
        {
            if (!server.HasExited)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            server.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static async Task WaitListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

}
