using System.Text;

namespace Stickless.Tests;

/// <summary>An in-memory store on a manual clock, with helpers to create and change sessions.</summary>
public abstract class StoreTestBase : IDisposable
{
    protected static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    protected static readonly TimeSpan Absolute = TimeSpan.FromHours(8);
    protected static readonly TimeSpan TouchAfter = TimeSpan.FromMinutes(2);

    protected StoreTestBase()
    {
        Time = new ManualTimeProvider();
        Observer = new RecordingObserver();
        Store = new InMemorySessionStore(Time, new SessionEventPublisher([Observer]));

        // The expiry sweep runs only in a started store, as the host would start it.
        Store.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    protected ManualTimeProvider Time { get; }

    protected RecordingObserver Observer { get; }

    protected InMemorySessionStore Store { get; }

    protected static CancellationToken Ct => CancellationToken.None;

    public void Dispose()
    {
        Store.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(SessionAttribute attribute) => Encoding.UTF8.GetString(attribute.Value.Span);

    protected SessionLoadOptions LoadOptions => new(Time.GetUtcNow(), TouchAfter);

    protected SessionLoadOptions NoTouch => new(Time.GetUtcNow(), TimeSpan.MaxValue);

    protected async Task<string> CreateAsync(string? principal = null, params (string Name, string Value)[] attributes)
    {
        var id = SessionIds.Create();
        var now = Time.GetUtcNow();
        var result = await Store.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = Idle,
            AbsoluteExpiry = now + Absolute,
            SetsPrincipal = principal is not null,
            Principal = principal,
            Attributes = attributes.ToDictionary(a => a.Name, a => AttributeChange.Set(Bytes(a.Value))),
        }, Ct);
        Assert.Equal(CommitStatus.Committed, result.Status);
        return id;
    }

    protected SessionChangeSet Change(string id, params (string Name, AttributeChange Change)[] attributes) => new()
    {
        SessionId = id,
        Now = Time.GetUtcNow(),
        Attributes = attributes.ToDictionary(a => a.Name, a => a.Change),
    };

    protected ValueTask<CommitResult> SetAsync(string id, string name, string value, long? expectedVersion = null) =>
        Store.CommitAsync(Change(id, (name, AttributeChange.Set(Bytes(value), expectedVersion))), Ct);

    protected ValueTask<SessionRecord?> LoadAsync(string id) => Store.LoadAsync(id, NoTouch, Ct);

    protected ValueTask<CommitResult> RenameAsync(string id, string newId, TimeSpan grace = default) =>
        Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), NewSessionId = newId, RotationGrace = grace }, Ct);
}
