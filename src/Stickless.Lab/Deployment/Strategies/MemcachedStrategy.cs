using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using Stickless.Lab.Deployment.Memcached;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// Sessions on a ketama ring of three memcached servers, one item per session: <c>memcached</c> keeps one copy (a dead
/// node loses its third of the sessions), <c>memcached-backup</c> also copies each session to the next node on the ring
/// (a dead node loses none). HAProxy spreads requests round robin.
/// </summary>
internal sealed class MemcachedStrategy : ILabStrategy, IStoreRoundTripCounter, IServiceItemCounter
{
    /// <summary>The memcached servers started.</summary>
    public const int ServerCount = 3;

    /// <summary>The prefix of the services' names (<c>memcached1</c> …).</summary>
    public const string ServicePrefix = "memcached";

    /// <summary>The memcached program and its Debian package.</summary>
    public static LabTool Memcached { get; } = new("memcached", "memcached");

    // Every node of a deployment must hash ids with the same secret; a deployment is started by one lab process.
    private readonly string _hashKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Creates the strategy.</summary>
    /// <param name="backup">True for <c>memcached-backup</c>.</param>
    /// <param name="memoryMegabytes">Each server's memory (<c>-m</c>).</param>
    public MemcachedStrategy(bool backup, int memoryMegabytes = 64)
    {
        Backup = backup;
        MemoryMegabytes = memoryMegabytes;
    }

    /// <summary>True when each session has a backup copy on the next node.</summary>
    public bool Backup { get; }

    /// <summary>Each server's memory in megabytes.</summary>
    public int MemoryMegabytes { get; }

    /// <inheritdoc/>
    public string Name => Backup ? "memcached-backup" : "memcached";

    /// <inheritdoc/>
    public string Description => Backup
        ? "Every session is one item on a ketama ring of three memcached servers, copied to the next server on the ring after each write; HAProxy sends requests round robin. A dead server's sessions are served from their copies."
        : "Every session is one item on a ketama ring of three memcached servers (no copies); HAProxy sends requests round robin. A dead server takes its third of the sessions with it.";

    /// <inheritdoc/>
    public string WhatToWatch => Backup
        ? "Kill a memcached server: after a moment every session is served from its backup on the next server, and nobody is signed out. Its item count is what it held."
        : "Kill a memcached server: the users whose sessions it held (about a third) are signed out, the others notice nothing. Each server's item count shows how sessions spread over the ring.";

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [Memcached];

    /// <inheritdoc/>
    public IReadOnlyList<string> StoreServices { get; } =
        [.. Enumerable.Range(1, ServerCount).Select(static i => ServicePrefix + i.ToString(CultureInfo.InvariantCulture))];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        var services = new List<LabService>();
        for (var i = 1; i <= ServerCount; i++)
        {
            var port = context.Ports.Next();
            List<string> arguments = ["-l", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "0",
                "-m", MemoryMegabytes.ToString(CultureInfo.InvariantCulture), "-t", "2", "-c", "4096"];
            if (Environment.UserName == "root")
            {
                // memcached refuses to run as root unless told which user to be.
                arguments.AddRange(["-u", "root"]);
            }

            services.Add(await context.StartServiceAsync(ServicePrefix + i.ToString(CultureInfo.InvariantCulture), port, Memcached.Executable, arguments,
                (process, ct) => Readiness.WaitAsync(process, "answering stats", async c =>
                    (await MemcachedLabClient.StatsAsync(port, c).ConfigureAwait(false)).ContainsKey("uptime"), ct),
                cancellationToken).ConfigureAwait(false));
        }

        return services;
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node)
    {
        var configuration = new List<KeyValuePair<string, string>>
        {
            new("Stickless:Store", "Memcached"),
            new("Stickless:Memcached:Backup", Backup ? "true" : "false"),
            new("Stickless:Memcached:HashKey", _hashKey),
        };
        var servers = MemcachedServices(context.Services);
        for (var i = 0; i < servers.Count; i++)
        {
            // Each server is named on the ring, so a restarted server (same name) gets its sessions back.
            configuration.Add(new($"Stickless:Memcached:Servers:{i.ToString(CultureInfo.InvariantCulture)}", $"{context.EndpointFor(node, servers[i].Name)} 1 {servers[i].Name}"));
        }

        return configuration;
    }

    /// <inheritdoc/>
    /// <remarks>Items, not sessions: with backups each session is two items, and tombstones and user indexes are items too.</remarks>
    public async Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        var counts = await CountItemsAsync(context, cancellationToken).ConfigureAwait(false);
        return counts.Count == 0 ? null : counts.Values.Sum();
    }

    /// <inheritdoc/>
    public async Task<long?> CountStoreRequestsAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var service in MemcachedServices(context.Services))
        {
            if (!service.IsAlive)
            {
                continue;
            }

            try
            {
                total += MemcachedLabClient.Requests(await MemcachedLabClient.StatsAsync(service.Port, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }

        return total;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, long>> CountItemsAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var service in MemcachedServices(context.Services))
        {
            if (!service.IsAlive)
            {
                continue;
            }

            try
            {
                counts[service.Name] = MemcachedLabClient.Get(await MemcachedLabClient.StatsAsync(service.Port, cancellationToken).ConfigureAwait(false), "curr_items");
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Paused or dying: left out.
            }
        }

        return counts;
    }

    /// <summary>The memcached services of a deployment, in order.</summary>
    public static IReadOnlyList<LabService> MemcachedServices(IReadOnlyList<LabService> services) =>
        [.. services.Where(s => s.Name.StartsWith(ServicePrefix, StringComparison.Ordinal)).OrderBy(s => s.Name, StringComparer.Ordinal)];
}
