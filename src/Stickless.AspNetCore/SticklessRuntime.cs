using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>What every request's session needs, resolved once: options, the timed store client, id resolvers, clock, metrics, logger.</summary>
internal sealed class SticklessRuntime
{
    public SticklessRuntime(
        IOptions<SticklessHttpOptions> options,
        SessionStoreClient store,
        SessionCommitPipeline pipeline,
        IEnumerable<ISessionIdResolver> resolvers,
        TimeProvider timeProvider,
        SticklessMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        Options = options.Value;
        Time = timeProvider;
        Metrics = metrics;
        Logger = loggerFactory.CreateLogger("Stickless.AspNetCore.Session");
        Resolvers = resolvers.ToArray();
        Store = store;
        Pipeline = pipeline;
    }

    public SticklessHttpOptions Options { get; }

    public SessionPolicy Policy => Options.Policy;

    public SessionStoreClient Store { get; }

    public SessionCommitPipeline Pipeline { get; }

    public ISessionIdResolver[] Resolvers { get; }

    public TimeProvider Time { get; }

    public SticklessMetrics Metrics { get; }

    public ILogger Logger { get; }
}
