using System.Net;
using System.Net.Sockets;

namespace Stickless.Lab.Tests.Network;

/// <summary>
/// A loopback TCP server inside the test: echoes what it receives (or only counts it), and tells how many bytes it has
/// received so far, so tests can wait on that instead of sleeping.
/// </summary>
internal sealed class TestTcpServer : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> accepted = [];
    private readonly List<Task> tasks = [];
    private readonly Lock gate = new();
    private readonly bool echo;
    private readonly List<(long Bytes, TaskCompletionSource Reached)> waiters = [];
    private long received;
    private int connections;

    private TestTcpServer(bool echo)
    {
        this.echo = echo;
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
        tasks.Add(AcceptAsync());
    }

    public IPEndPoint Endpoint { get; }

    public long Received => Interlocked.Read(ref received);

    public int Connections => Volatile.Read(ref connections);

    /// <summary>A server that sends back every byte it receives.</summary>
    public static TestTcpServer Echo() => new(echo: true);

    /// <summary>A server that only counts what it receives.</summary>
    public static TestTcpServer Sink() => new(echo: false);

    /// <summary>Completes once the server has received at least <paramref name="bytes"/> bytes in all.</summary>
    public Task WhenReceivedAsync(long bytes)
    {
        lock (gate)
        {
            if (Received >= bytes)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((bytes, reached));
            return reached.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        lock (gate)
        {
            foreach (var socket in accepted)
            {
                socket.Dispose();
            }
        }

        Task[] all;
        lock (gate)
        {
            all = [.. tasks];
        }

        await Task.WhenAll(all);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref connections);
            lock (gate)
            {
                accepted.Add(socket);
                tasks.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                if (read == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                Interlocked.Add(ref received, read);
                Notify();
                if (echo)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private void Notify()
    {
        lock (gate)
        {
            var now = Received;
            foreach (var waiter in waiters.Where(w => w.Bytes <= now).ToList())
            {
                waiter.Reached.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }
}
