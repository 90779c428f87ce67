using Microsoft.AspNetCore.Http;

namespace Stickless.AspNetCore;

/// <summary>
/// One request's session: the loaded record, the request's change set, and the obligations towards the
/// response (send a new id, clear the id). Committed once, as a delta, before the response starts.
/// </summary>
/// <remarks>
/// The attribute view is the stored snapshot (<see cref="_stored"/>) overlaid with the pending changes
/// (<see cref="_changes"/>, <see cref="_clearAttributes"/>); the snapshot's versions are what compare-and-set
/// updates compare against.
/// </remarks>
internal sealed partial class SticklessSession : ISticklessSession
{
    private static readonly IReadOnlyDictionary<string, SessionAttribute> NoAttributes = new Dictionary<string, SessionAttribute>(0);

    private readonly SticklessRuntime _runtime;
    private readonly HttpContext _context;

    private ISessionIdResolver? _carrier;         // the resolver whose carrier the request used
    private string? _lookupId;                    // the well-formed id the request presented
    private string? _aliasId;                     // the presented id when it is a grace alias of _id
    private string? _id;                          // the id the session lives (or will be created) under
    private string? _handle;
    private bool _exists;                         // stored in the store (IsNew is the opposite)
    private bool _touched;                        // the load moved the idle expiry already
    private bool _available = true;
    private SessionStoreUnavailableException? _loadFailure; // FailClosed: the load failed, and the first touch says so
    private string? _principal;
    private DateTimeOffset _createdAt;
    private DateTimeOffset _lastAccessedAt;
    private DateTimeOffset _absoluteExpiry;

    private IReadOnlyDictionary<string, SessionAttribute> _stored = NoAttributes;
    private Dictionary<string, SessionAttribute>? _storedCopy;  // _stored once this request committed into it
    private Dictionary<string, AttributeChange>? _changes;
    private bool _clearAttributes;

    private SessionLane? _lane;                   // this node's commit lane of the session (SessionCommitPipeline)

    private bool _sendId;                         // a new or rotated id must reach the client
    private bool _clearClientId;                  // the client's id must be cleared
    private bool _finalCommitDone;                // the response is starting or the request ended

    public SticklessSession(SticklessRuntime runtime, HttpContext context)
    {
        _runtime = runtime;
        _context = context;
        _createdAt = _lastAccessedAt = runtime.Time.GetUtcNow();
        _absoluteExpiry = _createdAt + runtime.Policy.AbsoluteTimeout;
    }

    /// <remarks>
    /// Under <see cref="SessionFailurePolicy.FailClosed"/>, asking a session whose load failed is touching it: it throws, and
    /// the request answers 503 (choose <see cref="SessionFailurePolicy.Degrade"/> to get <c>false</c> and carry on).
    /// </remarks>
    public bool IsAvailable => Loaded(_available);

    public bool IsNew => Loaded(!_exists);

    public string? Principal => Loaded(_principal);

    public DateTimeOffset CreatedAt => Loaded(_createdAt);

    public DateTimeOffset LastAccessedAt => Loaded(_lastAccessedAt);

    public string Handle => Loaded(_handle ??= SessionHandle.For(EnsureId()));

    /// <summary>The id as <c>ISession.Id</c> shows it: empty when unavailable; the presented id for a grace alias.</summary>
    public string IdForAspNet => Loaded(!_available ? string.Empty : _aliasId ?? EnsureId());

    /// <summary>True when the response side has pending work (a commit, an id to send or clear).</summary>
    internal bool HasPendingChanges => _changes is { Count: > 0 } || (_clearAttributes && _exists);

    public IEnumerable<string> Keys
    {
        get
        {
            ThrowIfLoadFailed();
            var keys = new List<string>();
            if (!_clearAttributes)
            {
                foreach (var name in _stored.Keys)
                {
                    if (_changes is null || !_changes.ContainsKey(name))
                    {
                        keys.Add(name);
                    }
                }
            }

            if (_changes is not null)
            {
                foreach (var (name, change) in _changes)
                {
                    if (!change.IsRemoval)
                    {
                        keys.Add(name);
                    }
                }
            }

            return keys;
        }
    }

    /// <summary>Finds the presented id and loads its session: one store call, none when no id was presented.</summary>
    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        string? presented = null;
        foreach (var resolver in _runtime.Resolvers)
        {
            if (resolver.TryGetId(_context, out presented))
            {
                _carrier = resolver;
                break;
            }
        }

        if (_carrier is null)
        {
            return;
        }

        if (presented is null || !SessionIds.IsWellFormed(presented))
        {
            SticklessLog.MalformedSessionId(_runtime.Logger, _carrier.Name);
            return;
        }

        _lookupId = presented;
        var now = _runtime.Time.GetUtcNow();
        var record = await _runtime.Store.LoadAsync(presented, new SessionLoadOptions(now, _runtime.Policy.TouchAfter), cancellationToken).ConfigureAwait(false);
        _runtime.Metrics.Loaded(_runtime.Store.StoreName, record is not null);
        if (record is null)
        {
            // Never adopt an id the store does not know: the session starts under a new id.
            SticklessLog.UnknownSessionId(_runtime.Logger, _carrier.Name);
            return;
        }

        _id = record.Id;
        _aliasId = record.IsGraceAlias ? presented : null;
        _exists = true;

        // Held from the load on, so that what this node commits meanwhile stays known to this request's updates.
        _lane = _runtime.Pipeline.Acquire(record.Id);
        _touched = record.Touched;
        _principal = record.Principal;
        _createdAt = record.CreatedAt;
        _lastAccessedAt = record.LastAccessedAt;
        _absoluteExpiry = record.AbsoluteExpiry;
        _stored = record.Attributes;
    }

    /// <summary>The response has gone out: the session leaves the request's features and lets go of its commit lane.</summary>
    public void CompleteRequest()
    {
        var features = _context.Features;
        features.Set<Microsoft.AspNetCore.Http.Features.ISessionFeature>(null);
        features.Set<ISticklessSession>(null);
        _runtime.Pipeline.Release(_lane);
        _lane = null;
    }

    /// <summary>
    /// The load failed. Under fail-closed (<paramref name="failWhenTouched"/>) the first touch of the session throws
    /// <paramref name="failure"/> (the request answers 503) while a request that never touches it goes on normally; under
    /// degrade the session is empty, anonymous and never stored.
    /// </summary>
    public void MarkLoadFailed(SessionStoreUnavailableException failure, bool failWhenTouched)
    {
        MarkUnavailable();
        _loadFailure = failWhenTouched ? failure : null;
    }

    /// <summary>Switches to the degraded mode: empty, anonymous, never stored.</summary>
    public void MarkUnavailable()
    {
        _available = false;
        _exists = false;
        _principal = null;
        _stored = NoAttributes;
    }

    public bool TryGetRaw(string key, out ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfLoadFailed();
        if (_changes is not null && _changes.TryGetValue(key, out var change))
        {
            value = change.Value;
            return !change.IsRemoval;
        }

        if (!_clearAttributes && _stored.TryGetValue(key, out var attribute))
        {
            value = attribute.Value;
            return true;
        }

        value = default;
        return false;
    }

    public void SetRaw(string key, ReadOnlyMemory<byte> value)
    {
        EnsureWritable();
        var (count, total) = MeasureAfterSet(key, value.Length);
        SessionLimitGuard.EnsureWithinLimits(_runtime.Policy.Limits, key, value.Length, count, total);
        (_changes ??= new(StringComparer.Ordinal))[key] = AttributeChange.Set(value);
    }

    public bool TryGet<T>(string key, out T? value)
    {
        if (!TryGetRaw(key, out var bytes))
        {
            value = default;
            return false;
        }

        if (SessionAttributeSerializer.TryDeserialize(bytes.Span, out value))
        {
            return true;
        }

        SticklessLog.AttributeUndecodable(_runtime.Logger, key, Handle, typeof(T).Name);
        return false;
    }

    public T? Get<T>(string key) => TryGet<T>(key, out var value) ? value : default;

    public void Set<T>(string key, T value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        SetRaw(key, SessionAttributeSerializer.Serialize(value));
    }

    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureWritable();
        if (!_clearAttributes && _stored.ContainsKey(key))
        {
            (_changes ??= new(StringComparer.Ordinal))[key] = AttributeChange.Remove();
        }
        else
        {
            _changes?.Remove(key);
        }
    }

    public void Clear()
    {
        EnsureWritable();
        _changes?.Clear();
        _clearAttributes = _stored.Count > 0;
    }

    // What the session would hold once key is set: walks the snapshot and the pending changes directly, without
    // building the Keys list (this runs on every write).
    private (int Count, long TotalBytes) MeasureAfterSet(string key, int valueBytes)
    {
        var count = 1;
        var total = SessionLimitGuard.EntryBytes(key, valueBytes);
        if (!_clearAttributes)
        {
            foreach (var (name, attribute) in _stored)
            {
                if (name != key && (_changes is null || !_changes.ContainsKey(name)))
                {
                    count++;
                    total += SessionLimitGuard.EntryBytes(name, attribute.Value.Length);
                }
            }
        }

        if (_changes is not null)
        {
            foreach (var (name, change) in _changes)
            {
                if (name != key && !change.IsRemoval)
                {
                    count++;
                    total += SessionLimitGuard.EntryBytes(name, change.Value.Length);
                }
            }
        }

        return (count, total);
    }

    private string EnsureId() => _id ??= SessionIds.Create();

    /// <summary>Throws the deferred load failure: this request needs the session, and the store could not give it.</summary>
    private void ThrowIfLoadFailed()
    {
        if (_loadFailure is not null)
        {
            throw new SessionStoreUnavailableException("The session store failed when this request's session was loaded; the request needs the session.", _loadFailure);
        }
    }

    private T Loaded<T>(T value)
    {
        ThrowIfLoadFailed();
        return value;
    }

    private void EnsureWritable()
    {
        ThrowIfLoadFailed();
        if (_finalCommitDone)
        {
            throw new InvalidOperationException("The session was committed when the response started; it can no longer be changed in this request. Change the session before writing the response.");
        }
    }
}
