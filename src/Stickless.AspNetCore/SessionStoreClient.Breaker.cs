using Polly;
using Polly.CircuitBreaker;

namespace Stickless.AspNetCore;

internal sealed partial class SessionStoreClient
{
    private readonly ResiliencePipeline? _breaker;
    private volatile CircuitState _circuit = CircuitState.Closed;

    /// <summary>The breaker's state: <see cref="CircuitState.Closed"/> when calls flow (always, when the breaker is off).</summary>
    public CircuitState CircuitState => _circuit;

    private ResiliencePipeline BuildBreaker(SticklessCircuitBreakerOptions options) =>
        new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,

                // Only the store being unreachable counts: a conflict, a missing session, a caller that gave up, or a store that
                // answered but could not confirm durability (a WAIT shortfall) say nothing about whether it can be reached.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is SessionStoreUnavailableException { StoreResponded: false }),
                OnOpened = args =>
                {
                    _circuit = CircuitState.Open;
                    SticklessLog.CircuitOpened(_logger, _store.Name, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    _circuit = CircuitState.HalfOpen;
                    SticklessLog.CircuitHalfOpened(_logger, _store.Name);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _circuit = CircuitState.Closed;
                    SticklessLog.CircuitClosed(_logger, _store.Name);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
