using System.Text;

namespace Stickless.Conformance;

/// <summary>
/// What every conformance suite shares: a fresh <see cref="IConformanceStore"/> per test, a bounded token, and helpers that
/// build change sets the way the middleware does.
/// </summary>
public abstract class ConformanceSuite : IAsyncLifetime
{
    // No test may hang the run: every store call gets this token.
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromMinutes(2));
    private IConformanceStore? _subject;

    /// <summary>The store under test.</summary>
    protected IConformanceStore Subject => _subject ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>The first app node's view.</summary>
    protected ISessionStore A => Subject.NodeA;

    /// <summary>The second app node's view.</summary>
    protected ISessionStore B => Subject.NodeB;

    /// <summary>The store's clock.</summary>
    protected IConformanceClock Clock => Subject.Clock;

    /// <summary>The idle timeout of sessions the tests create: four units.</summary>
    protected TimeSpan Idle => Clock.Unit * 4;

    /// <summary>The absolute timeout of sessions the tests create, unless a test says otherwise: far beyond any test.</summary>
    protected TimeSpan Absolute => Clock.Unit * 1000;

    /// <summary>The token every call uses.</summary>
    protected CancellationToken Ct => _bound.Token;

    /// <summary>A load that never touches.</summary>
    protected SessionLoadOptions NoTouch => new(Clock.UtcNow, TimeSpan.MaxValue);

    /// <summary>Creates the store for one test.</summary>
    protected abstract Task<IConformanceStore> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _subject = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_subject is not null)
        {
            await _subject.DisposeAsync();
        }

        _bound.Dispose();
    }

    /// <summary>UTF-8 bytes of <paramref name="text"/>.</summary>
    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>An attribute's value as UTF-8 text.</summary>
    protected static string Text(SessionAttribute attribute) => Encoding.UTF8.GetString(attribute.Value.Span);

    /// <summary>Creates a session on <paramref name="store"/> (default <see cref="A"/>) and returns its id.</summary>
    protected async Task<string> CreateAsync(ISessionStore? store = null, string? principal = null, TimeSpan? idle = null, TimeSpan? absolute = null, params (string Name, string Value)[] attributes)
    {
        var id = SessionIds.Create();
        var now = Clock.UtcNow;
        var result = await (store ?? A).CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = idle ?? Idle,
            AbsoluteExpiry = now + (absolute ?? Absolute),
            SetsPrincipal = principal is not null,
            Principal = principal,
            Attributes = attributes.ToDictionary(a => a.Name, a => AttributeChange.Set(Bytes(a.Value)), StringComparer.Ordinal),
        }, Ct);
        Assert.Equal(CommitStatus.Committed, result.Status);
        return id;
    }

    /// <summary>A change set of an existing session.</summary>
    protected SessionChangeSet Change(string id, params (string Name, AttributeChange Change)[] attributes) => new()
    {
        SessionId = id,
        Now = Clock.UtcNow,
        Attributes = attributes.ToDictionary(a => a.Name, a => a.Change, StringComparer.Ordinal),
    };

    /// <summary>Sets one attribute (blind, or compare-and-set against <paramref name="expectedVersion"/>).</summary>
    protected ValueTask<CommitResult> SetAsync(ISessionStore store, string id, string name, string value, long? expectedVersion = null) =>
        store.CommitAsync(Change(id, (name, AttributeChange.Set(Bytes(value), expectedVersion))), Ct);

    /// <summary>Loads without touching.</summary>
    protected ValueTask<SessionRecord?> LoadAsync(ISessionStore store, string id) => store.LoadAsync(id, NoTouch, Ct);

    /// <summary>Loads, touching when at least <paramref name="touchAfter"/> has passed since the last touch.</summary>
    protected ValueTask<SessionRecord?> LoadAsync(ISessionStore store, string id, TimeSpan touchAfter) =>
        store.LoadAsync(id, new SessionLoadOptions(Clock.UtcNow, touchAfter), Ct);

    /// <summary>
    /// Reads until <paramref name="done"/> holds or five seconds pass, and returns the last reading: for effects a store may
    /// complete just after a call returned (a touch written behind a load).
    /// </summary>
    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            // The store's own background write is what is awaited; there is no event to wait on from outside it.
            await Task.Delay(20);
            value = await read();
        }

        return value;
    }

    /// <summary>Read-modify-write of a counter attribute with compare-and-set, retrying on conflict as the middleware does.</summary>
    protected async Task IncrementWithCompareAndSetAsync(ISessionStore store, string id, string name)
    {
        var record = await LoadAsync(store, id) ?? throw new InvalidOperationException("The session vanished.");
        var current = record.Attributes.TryGetValue(name, out var attribute) ? attribute : (SessionAttribute?)null;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var value = current is { } c ? long.Parse(Text(c), System.Globalization.CultureInfo.InvariantCulture) : 0;
            var result = await SetAsync(store, id, name, (value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), current?.Version ?? 0);
            if (result.Status == CommitStatus.Committed)
            {
                return;
            }

            Assert.Equal(CommitStatus.Conflict, result.Status);
            current = result.Conflicts[name];
        }

        Assert.Fail("A compare-and-set increment kept conflicting for 1000 attempts.");
    }
}
