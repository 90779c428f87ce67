using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

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

    private SessionStoreClient NewClient(ISessionStore store, TimeSpan timeout) =>
        new(store, timeout, TimeProvider.System, new SticklessMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger.Instance);

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
