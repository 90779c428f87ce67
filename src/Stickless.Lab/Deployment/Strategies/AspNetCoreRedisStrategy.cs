using Stickless.Lab.Deployment.Redis;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// A peer: what a .NET team runs instead of Stickless, ASP.NET Core Session over RedisCache with the DataProtection keys
/// in the same Redis (<c>samples/peers/aspnetcore-redis</c>). Same Redis server, HAProxy and workload as <c>redis</c>.
/// </summary>
internal sealed class AspNetCoreRedisStrategy : ILabStrategy
{
    /// <summary>The strategy's name.</summary>
    public const string StrategyName = "aspnetcore-redis";

    /// <summary>RedisCache's instance name in the peer: every session is the hash <c>Festa:&lt;key&gt;</c>.</summary>
    internal const string SessionKeyPattern = "Festa:*";

    private readonly RedisStrategy redis = new();

    /// <inheritdoc/>
    public string Name => StrategyName;

    /// <inheritdoc/>
    public string Description => "The .NET peer: ASP.NET Core Session over RedisCache, as its users write it. Each session is one Redis hash holding the whole session, written whole at the end of a writing request; DataProtection keys live in the same Redis so every node reads every cookie. HAProxy sends requests round robin.";

    /// <inheritdoc/>
    public string WhatToWatch => "The probe stays signed in on every node, as with redis. What it does not show: a read costs four Redis commands, two requests of one session overwrite each other's changes, and the id from before sign-in stays signed in (no rotation). `stickless bench --compare` measures all three.";

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public ILabNodeApplication NodeApplication => DotnetNodeApplication.AspNetCoreRedisPeer;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => redis.RequiredTools;

    /// <inheritdoc/>
    public Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken) =>
        redis.StartServicesAsync(context, cancellationToken);

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node) =>
        [new("ConnectionStrings:Redis", context.Services.Single(s => s.Name == "redis").Endpoint)];

    /// <inheritdoc/>
    public async Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken) =>
        await RedisKeyCount.ScanAsync(context.Services.Single(s => s.Name == "redis").Port, SessionKeyPattern, cancellationToken).ConfigureAwait(false);
}
