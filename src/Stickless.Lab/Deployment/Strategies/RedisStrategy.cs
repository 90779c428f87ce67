using Stickless.Lab.Deployment.Redis;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>The shared external store: one redis-server holds every session (a hash per session); HAProxy spreads requests round robin.</summary>
internal sealed class RedisStrategy : ILabStrategy
{
    /// <inheritdoc/>
    public string Name => "redis";

    /// <inheritdoc/>
    public string Description => "Every session lives in one Redis server (a hash per session, only the changed attributes written); HAProxy sends requests round robin and any node can serve any request.";

    /// <inheritdoc/>
    public string WhatToWatch => "The probe's requests go to every node in turn and stay signed in (green) on all of them. Kill a node: the probe carries on, signed in, on the others. The session count is read from Redis.";

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [LabTool.RedisServer];

    /// <inheritdoc/>
    public IReadOnlyList<string> StoreServices => ["redis"];

    /// <inheritdoc/>
    public bool SupportsPersistence => true;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        var port = context.Ports.Next();
        var directory = Path.Combine(context.RunDirectory, "redis");
        Directory.CreateDirectory(directory);
        var configuration = Path.Combine(directory, "redis.conf");
        await File.WriteAllTextAsync(configuration, RedisConfigFiles.Server(port, directory, context.Persistence?.RedisConfLines ?? []), cancellationToken).ConfigureAwait(false);
        var redis = await context.StartServiceAsync("redis", port, LabTool.RedisServer.Executable, [configuration],
            (process, ct) => Readiness.WaitAsync(process, "answering PING", async c =>
                await RedisLabClient.ExecuteAsync(port, ["PING"], c).ConfigureAwait(false) is "PONG", ct),
            cancellationToken).ConfigureAwait(false);
        return [redis];
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node) =>
    [
        new("Stickless:Store", "Redis"),
        new("Stickless:Redis:Configuration", context.EndpointFor(node, "redis")),
    ];

    /// <inheritdoc/>
    public Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken) =>
        RedisSessionCount.FromExpiryIndexAsync(context.Services.Single(s => s.Name == "redis").Port, cancellationToken);
}
