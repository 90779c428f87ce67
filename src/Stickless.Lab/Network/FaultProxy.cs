using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Network;

/// <summary>
/// A TCP proxy of the lab's own on one link: it listens on a loopback port and forwards each connection to one upstream,
/// doing to the bytes what <see cref="Faults"/> says (latency and jitter, a bandwidth cap, drops, resets, black hole,
/// one-way partitions, lost bytes), per direction. The faults can be changed at any time, and connections already open follow the
/// change. It lives inside the lab process, so it stops with it; <see cref="DisposeAsync"/> stops it sooner.
/// </summary>
/// <remarks>
/// Memory is bounded (see <see cref="FaultProxyOptions"/>): a full delay line stops the reader. What a kernel-level
/// shaper (tc netem) would do differently: the proxy terminates TCP, so the client's connect succeeds even through a
/// black hole (the upstream is only dialled once the link forwards), a drop is a whole chunk or a whole connection rather
/// than a packet TCP would resend, and discarded bytes are bytes the proxy acknowledged.
/// </remarks>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly HashSet<ProxyConnection> connections = [];
    private readonly List<Task> running = [];
    private readonly Random random;
    private readonly Task acceptLoop;
    private LinkFaults faults = LinkFaults.None;
    private long accepted;
    private long rejected;
    private long forwardedToServer;
    private long forwardedToClient;
    private long discarded;
    private long resets;
    private long drops;
    private int disposed;

    private FaultProxy(string name, IPEndPoint upstream, int port, FaultProxyOptions options)
    {
        Name = name;
        Upstream = upstream;
        Options = options;
        random = options.Seed is { } seed ? new Random(seed) : new Random();
        listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        FaultProxyLog.Started(options.Logger, name, Endpoint, upstream);
        acceptLoop = AcceptAsync(stop.Token);
    }

    /// <summary>The link's name, for logs and metrics (<c>node1→redis</c>).</summary>
    public string Name { get; }

    /// <summary>Where connections are forwarded.</summary>
    public IPEndPoint Upstream { get; }

    /// <summary>The loopback port clients connect to instead of the upstream's.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>: what a client is configured with instead of the upstream's endpoint.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>
    /// What the link does now; <see cref="LinkFaults.None"/> at start. Assigning applies at once, to new and open
    /// connections alike (bytes already waiting follow a new latency, a block or a black hole).
    /// </summary>
    /// <exception cref="ArgumentException">The faults are invalid; the message lists every problem.</exception>
    public LinkFaults Faults
    {
        get => Volatile.Read(ref faults);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var errors = value.Validate();
            if (errors.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", errors), nameof(value));
            }

            Volatile.Write(ref faults, value);
            Signal.Raise();
            FaultProxyLog.FaultsChanged(Options.Logger, Name, value, OpenConnections);
        }
    }

    /// <summary>Connections open now.</summary>
    public int OpenConnections
    {
        get
        {
            lock (gate)
            {
                return connections.Count;
            }
        }
    }

    internal FaultProxyOptions Options { get; }

    internal FaultSignal Signal { get; } = new();

    /// <summary>Starts a proxy on a loopback port forwarding to <paramref name="upstream"/>, with no faults.</summary>
    /// <param name="name">The link's name for logs and metrics.</param>
    /// <param name="upstream">Where to forward.</param>
    /// <param name="options">Bounds, clock, seed and logger; default <see cref="FaultProxyOptions"/>.</param>
    /// <param name="port">The port to listen on; 0 (default) for one the kernel picks.</param>
    /// <exception cref="ArgumentException">Invalid options; the message lists every problem.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The port is taken.</exception>
    public static FaultProxy Start(string name, IPEndPoint upstream, FaultProxyOptions? options = null, int port = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(upstream);
        options ??= new FaultProxyOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return new FaultProxy(name, upstream, port, options);
    }

    /// <summary>What the proxy has done so far.</summary>
    public FaultProxyCounters Counters()
    {
        int open;
        long buffered;
        lock (gate)
        {
            open = connections.Count;
            buffered = connections.Sum(static c => c.Buffered);
        }

        return new FaultProxyCounters(
            Interlocked.Read(ref accepted), Interlocked.Read(ref rejected), open,
            Interlocked.Read(ref forwardedToServer), Interlocked.Read(ref forwardedToClient), Interlocked.Read(ref discarded),
            Interlocked.Read(ref resets), Interlocked.Read(ref drops), buffered);
    }

    /// <summary>Resets (RST) every open connection now, whatever the faults; new connections are accepted as usual.</summary>
    /// <returns>How many were reset.</returns>
    public int ResetConnections()
    {
        ProxyConnection[] open;
        lock (gate)
        {
            open = [.. connections];
        }

        foreach (var connection in open)
        {
            connection.Reset("manual");
        }

        return open.Length;
    }

    /// <summary>
    /// Takes a connection accepted elsewhere (a <see cref="RoutedFront"/> that told its source apart) as if it had arrived
    /// on this proxy's own port: it follows the link's faults from now on.
    /// </summary>
    internal void Adopt(Socket client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.NoDelay = true;
        Admit(client);
    }

    /// <summary>Stops listening, resets every connection and waits until all of them have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        ProxyConnection[] open;
        Task[] tasks;
        lock (gate)
        {
            open = [.. connections];
            tasks = [acceptLoop, .. running];
        }

        foreach (var connection in open)
        {
            connection.Reset("stop");
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        FaultProxyLog.Stopped(Options.Logger, Name, open.Length);
        stop.Dispose();
    }

    /// <summary>A uniform draw in [0, 1) from the proxy's seeded generator.</summary>
    internal double Draw()
    {
        lock (random)
        {
            return random.NextDouble();
        }
    }

    internal void CountForwarded(ProxyDirection direction, int bytes)
    {
        Interlocked.Add(ref direction == ProxyDirection.ClientToServer ? ref forwardedToServer : ref forwardedToClient, bytes);
        FaultProxyMetrics.Bytes(Name, direction, forwarded: true, bytes);
    }

    internal void CountDiscarded(ProxyDirection direction, int bytes)
    {
        Interlocked.Add(ref discarded, bytes);
        FaultProxyMetrics.Bytes(Name, direction, forwarded: false, bytes);
    }

    internal void CountReset(string reason)
    {
        if (reason is not ("stop" or "error"))
        {
            Interlocked.Increment(ref resets);
        }

        FaultProxyMetrics.Reset(Name, reason);
    }

    internal void CountDrop() => Interlocked.Increment(ref drops);

    internal void RecordHeld(TimeSpan held) => FaultProxyMetrics.ChunkHeld(Name, held);

    private static void Refuse(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Reset by the client already.
        }

        socket.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException && ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception)
            {
                // Out of descriptors, or a client that reset before we took it: keep listening.
                FaultProxyLog.AcceptFailed(Options.Logger, Name, exception);
                continue;
            }

            client.NoDelay = true;
            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        var refuse = Faults.ResetNewConnections;
        ProxyConnection? connection = null;
        int open;
        lock (gate)
        {
            open = connections.Count;

            // Checked under the lock that DisposeAsync takes its snapshot under: no connection starts after it.
            refuse |= stop.IsCancellationRequested;
            if (!refuse && open < Options.MaxConnections)
            {
                connection = new ProxyConnection(this, client);
                connections.Add(connection);
            }
        }

        if (connection is null)
        {
            Interlocked.Increment(ref rejected);
            FaultProxyMetrics.Reset(Name, refuse ? "fault" : "limit");
            Refuse(client);
            if (!refuse)
            {
                FaultProxyLog.ConnectionRejected(Options.Logger, Name, open);
            }

            return;
        }

        Interlocked.Increment(ref accepted);
        FaultProxyMetrics.ConnectionChanged(Name, +1);
        var run = RunAsync(connection);
        lock (gate)
        {
            running.RemoveAll(static t => t.IsCompleted);
            running.Add(run);
        }
    }

    private async Task RunAsync(ProxyConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                connections.Remove(connection);
            }

            connection.Dispose();
            FaultProxyMetrics.ConnectionChanged(Name, -1);
        }
    }
}
