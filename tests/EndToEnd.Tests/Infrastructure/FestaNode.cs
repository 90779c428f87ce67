using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// One real Festa process on a loopback port chosen by the kernel (<c>--urls http://127.0.0.1:0</c>; the
/// port is read from Kestrel's "Now listening on" line, so no port can be taken between probe and bind).
/// Disposing kills the process tree by pid.
/// </summary>
public sealed partial class FestaNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private FestaNode(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The node name (<c>Festa:NodeName</c>), expected in <c>X-Served-By</c>.</summary>
    public string Name { get; }

    /// <summary>The node's base address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines the process wrote (stdout and stderr), for failure messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Starts Festa and returns once it listens and <c>/healthz</c> answers 200.</summary>
    public static Task<FestaNode> StartAsync(string name, string usersFile, IEnumerable<string>? extraArguments = null) =>
        StartProgramAsync(name, DotnetHost.Path, [FestaBuild.AssemblyPath], usersFile, extraArguments);

    /// <summary>
    /// Starts another program that speaks Festa's contract and command line (a peer: <c>dotnet AspNetCoreRedisPeer.dll</c>,
    /// <c>node server.mjs</c>) and returns once it prints Kestrel's "Now listening on" line and <c>/healthz</c> answers 200.
    /// </summary>
    public static async Task<FestaNode> StartProgramAsync(string name, string fileName, IReadOnlyList<string> leadingArguments, string usersFile, IEnumerable<string>? extraArguments = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(usersFile)!,
        };
        foreach (var argument in leadingArguments.Concat(
                 [
                     "--urls", "http://127.0.0.1:0",
                     $"--Festa:NodeName={name}",
                     $"--Festa:UsersFile={usersFile}",
                     "--Logging:LogLevel:Default=Warning",
                     "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
                 ]).Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new FestaNode(name, process);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data, listening);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data, listening);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"Festa node {name} exited with code {SafeExitCode(process)} before listening:{Environment.NewLine}{node.RecentOutput}"));

        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {start.FileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            node.BaseAddress = await listening.Task.WaitAsync(StartTimeout);
            await node.WaitHealthyAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client with its own cookie jar, talking to this node.</summary>
    public FestaClient CreateClient() => new(BaseAddress);

    /// <summary>A client of this node that carries <paramref name="sessionId"/>, as a browser would when the balancer sends it here.</summary>
    public FestaClient CreateClientWithSession(string sessionId)
    {
        var client = CreateClient();
        client.Cookies.Add(BaseAddress, new System.Net.Cookie(SessionCookie.Name, sessionId));
        return client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitHealthyAsync()
    {
        // Kestrel listens only after the hosted services (the demo-user seeding) have started, so the
        // first answer normally is 200; a few retries cover a store still connecting. Bounded.
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            last?.Dispose();
            last = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            if (last.IsSuccessStatusCode)
            {
                last.Dispose();
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new InvalidOperationException($"Festa node {Name} never reported healthy (last: {(int?)last?.StatusCode}).{Environment.NewLine}{RecentOutput}");
    }

    private void OnLine(string? line, TaskCompletionSource<Uri> listening)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            listening.TrySetResult(new Uri(match.Groups["address"].Value.TrimEnd('/') + "/"));
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
