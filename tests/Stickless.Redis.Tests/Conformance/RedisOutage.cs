using Stickless.Conformance;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Conformance;

/// <summary>Freezes (SIGSTOP) and thaws every process of a deployment, for <see cref="StoreOutageConformanceTests"/>.</summary>
/// <param name="processes">Pause and resume actions, one per process (servers, sentinels).</param>
/// <param name="callBound">The store's <see cref="RedisSessionStoreOptions.OperationTimeout"/>.</param>
public sealed class RedisOutage(IReadOnlyList<(Action Pause, Action Resume)> processes, TimeSpan callBound) : IStoreOutage
{
    public TimeSpan CallBound { get; } = callBound;

    public static RedisOutage Of(IEnumerable<RedisServer> servers, TimeSpan callBound) =>
        new([.. servers.Select(s => ((Action)s.Pause, (Action)s.Resume))], callBound);

    public ValueTask PauseAsync(CancellationToken cancellationToken)
    {
        foreach (var (pause, _) in processes)
        {
            pause();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, resume) in processes)
        {
            resume();
        }

        return ValueTask.CompletedTask;
    }
}
