using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>The timed store client: timeout versus caller cancellation, for stores that answer late.</summary>
public sealed class SessionStoreClientTests : IDisposable
{
    private static readonly SessionLoadOptions Load = new(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(2));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task LoadAsync_StoreNeverAnswers_ThrowsUnavailableAndCancelsTheStoresToken()
    {
        var store = new SilentStore();
        var client = NewClient(store, TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => client.LoadAsync("id", Load, CancellationToken.None).AsTask());

        Assert.True(store.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task LoadAsync_CallerCancelsWhileStoreIsSilent_ThrowsCanceledNotUnavailable()
    {
        var store = new SilentStore();
        var client = NewClient(store, TimeSpan.FromSeconds(30));
        using var caller = new CancellationTokenSource();

        var load = client.LoadAsync("id", Load, caller.Token).AsTask();
        await caller.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load);
        Assert.IsNotType<SessionStoreUnavailableException>(error);
        Assert.True(store.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task LoadAsync_CallerAlreadyCancelled_ThrowsCanceledWithoutCallingTheStore()
    {
        var store = new SilentStore();
        var client = NewClient(store, TimeSpan.FromSeconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.LoadAsync("id", Load, new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(0, store.Calls);
    }

    [Fact]
    public async Task LoadAsync_StoreAnswersSynchronously_ReturnsItsAnswer()
    {
        using var inner = new InMemorySessionStore(TimeProvider.System, SessionEventPublisher.None);
        var client = NewClient(inner, TimeSpan.FromSeconds(1));

        Assert.Null(await client.LoadAsync(SessionIds.Create(), Load, CancellationToken.None));
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Breaker_StoreKeepsFailing_OpensAndFailsFastWithoutCallingTheStore()
    {
        var time = new ManualTimeProvider();
        var store = new SwitchableStore();
        var breaker = new SticklessCircuitBreakerOptions { MinimumThroughput = 4, FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(5), BreakDuration = TimeSpan.FromSeconds(2) };
        var client = NewClient(store, TimeSpan.FromSeconds(1), breaker, time);
        store.Failing = true;

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => client.LoadAsync("id", Load, CancellationToken.None).AsTask());
        }

        var callsWhenOpened = store.Calls;
        var refused = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => client.LoadAsync("id", Load, CancellationToken.None).AsTask());

        Assert.Equal(4, callsWhenOpened);
        Assert.Equal(callsWhenOpened, store.Calls);
        Assert.Contains("circuit open", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, client.CircuitState);
    }

    [Fact]
    public async Task Breaker_AfterBreakDuration_OneProbeReachesTheStoreAndSuccessClosesIt()
    {
        var time = new ManualTimeProvider();
        var store = new SwitchableStore { Failing = true };
        var breaker = new SticklessCircuitBreakerOptions { MinimumThroughput = 2, BreakDuration = TimeSpan.FromSeconds(2) };
        var client = NewClient(store, TimeSpan.FromSeconds(1), breaker, time);
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => client.LoadAsync("id", Load, CancellationToken.None).AsTask());
        }

        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, client.CircuitState);
        store.Failing = false;
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await client.LoadAsync("id", Load, CancellationToken.None));
        Assert.Equal(3, store.Calls);
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, client.CircuitState);
    }

    [Fact]
    public async Task Breaker_StoreThatAnswersButCannotConfirmDurability_DoesNotOpenIt()
    {
        var store = new SwitchableStore { Failing = true, Responded = true };
        var client = NewClient(store, TimeSpan.FromSeconds(1), new SticklessCircuitBreakerOptions { MinimumThroughput = 2 }, new ManualTimeProvider());

        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => client.LoadAsync("id", Load, CancellationToken.None).AsTask());
        }

        Assert.Equal(6, store.Calls);
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, client.CircuitState);
    }

    [Fact]
    public async Task Breaker_CallerCancellations_DoNotOpenIt()
    {
        var store = new SilentStore();
        var client = NewClient(store, TimeSpan.FromSeconds(30), new SticklessCircuitBreakerOptions { MinimumThroughput = 2 }, TimeProvider.System);

        for (var i = 0; i < 4; i++)
        {
            using var caller = new CancellationTokenSource();
            var load = client.LoadAsync("id", Load, caller.Token).AsTask();
            await caller.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load);
        }

        Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, client.CircuitState);
    }

    private SessionStoreClient NewClient(ISessionStore store, TimeSpan timeout, SticklessCircuitBreakerOptions? breaker = null, TimeProvider? time = null) =>
        new(store, timeout, breaker, time ?? TimeProvider.System, new SticklessMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger.Instance);

    /// <summary>Answers "no such session" at once, or fails as an unreachable store does.</summary>
    private sealed class SwitchableStore : ISessionStore
    {
        private int _calls;
        private volatile bool _failing;

        public string Name => "Switchable";

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public bool Responded { get; init; }

        public int Calls => _calls;

        public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Failing ? ValueTask.FromException<SessionRecord?>(new SessionStoreUnavailableException("down") { StoreResponded = Responded }) : ValueTask.FromResult<SessionRecord?>(null);
        }

        public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask PingAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Never answers a load, and ignores its token; remembers the token it was given.</summary>
    private sealed class SilentStore : ISessionStore
    {
        private int _calls;

        public string Name => "Silent";

        public CancellationToken Token { get; private set; }

        public int Calls => _calls;

        public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Token = cancellationToken;
            return new ValueTask<SessionRecord?>(new TaskCompletionSource<SessionRecord?>(TaskCreationOptions.RunContinuationsAsynchronously).Task);
        }

        public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask PingAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
