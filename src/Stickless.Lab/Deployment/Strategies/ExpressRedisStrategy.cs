using System.Security.Cryptography;
using Stickless.Lab.Deployment.Redis;

namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// A peer: what a Node.js team runs, express-session with connect-redis (<c>samples/peers/express-redis</c>). Same Redis
/// server, HAProxy and workload as <c>redis</c>; every node signs cookies with one secret, written to the run directory.
/// </summary>
internal sealed class ExpressRedisStrategy : ILabStrategy
{
    /// <summary>The strategy's name.</summary>
    public const string StrategyName = "express-redis";

    /// <summary>The peer's connect-redis prefix: every session is the string <c>festa:&lt;sid&gt;</c>.</summary>
    internal const string SessionKeyPattern = "festa:*";

    /// <summary>The file (in the run directory) holding the session secret every node signs cookies with.</summary>
    internal const string SecretFileName = "session-secret";

    private readonly RedisStrategy redis = new();

    /// <inheritdoc/>
    public string Name => StrategyName;

    /// <inheritdoc/>
    public string Description => "The Node.js peer: express-session with connect-redis, as their docs write it. Each session is one JSON string in Redis, written whole at the end of a writing request; sign-in regenerates the session (a new id, the old data gone). HAProxy sends requests round robin.";

    /// <inheritdoc/>
    public string WhatToWatch => "The probe stays signed in on every node, as with redis. What it does not show: two requests of one session overwrite each other's changes, and signing in drops what the anonymous session held. `stickless bench --compare` measures them.";

    /// <inheritdoc/>
    public bool SharesSessions => true;

    /// <inheritdoc/>
    public bool StickyRouting => false;

    /// <inheritdoc/>
    public ILabNodeApplication NodeApplication => ExpressNodeApplication.Instance;

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => redis.RequiredTools;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken)
    {
        // A file rather than an argument: command lines are visible to every user of the machine (ps, the .args files).
        var secret = SecretPath(context);
        await File.WriteAllTextAsync(secret, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return await redis.StartServicesAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node) =>
    [
        new("Redis:Url", "redis://" + context.Services.Single(s => s.Name == "redis").Endpoint),
        new("Session:SecretFile", SecretPath(context)),
    ];

    /// <inheritdoc/>
    public async Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken) =>
        await RedisKeyCount.ScanAsync(context.Services.Single(s => s.Name == "redis").Port, SessionKeyPattern, cancellationToken).ConfigureAwait(false);

    private static string SecretPath(StrategyContext context) => Path.Combine(context.RunDirectory, SecretFileName);
}
