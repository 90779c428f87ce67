namespace Stickless;

/// <summary>
/// What one request changed in one session. A store applies a change set atomically, in one
/// operation, or not at all.
/// </summary>
/// <remarks>
/// Only the delta travels: attributes the request did not touch are never rewritten, so two requests
/// of one session that change different attributes both survive.
/// </remarks>
public sealed class SessionChangeSet
{
    /// <summary>The id the change set applies to.</summary>
    public required string SessionId { get; init; }

    /// <summary>
    /// True to create the session. Creation fails with <see cref="CommitStatus.AlreadyExists"/> if the id
    /// is taken; otherwise (false) the commit fails with <see cref="CommitStatus.NotFound"/> if the session
    /// no longer exists, so a commit never resurrects a deleted or expired session.
    /// </summary>
    public bool IsNew { get; init; }

    /// <summary>The instant of the change, from the caller's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The idle timeout to store (used on creation; ignored otherwise).</summary>
    public TimeSpan IdleTimeout { get; init; }

    /// <summary>The absolute expiry to store (used on creation; ignored otherwise).</summary>
    public DateTimeOffset AbsoluteExpiry { get; init; }

    /// <summary>True to move the idle expiry (last accessed = <see cref="Now"/>).</summary>
    public bool Touch { get; init; }

    /// <summary>True to remove every attribute before <see cref="Attributes"/> are applied (<c>ISession.Clear</c>).</summary>
    public bool ClearAttributes { get; init; }

    /// <summary>Attribute changes, by name.</summary>
    public IReadOnlyDictionary<string, AttributeChange> Attributes { get; init; } = EmptyAttributes;

    /// <summary>True when <see cref="Principal"/> is to be written (bound, changed or cleared).</summary>
    public bool SetsPrincipal { get; init; }

    /// <summary>The principal to bind when <see cref="SetsPrincipal"/>; null clears it.</summary>
    public string? Principal { get; init; }

    /// <summary>
    /// When set, the session is renamed to this id in the same atomic operation (id rotation): the data
    /// moves, the per-user index follows, and the old id dies at once or after <see cref="RotationGrace"/>.
    /// </summary>
    public string? NewSessionId { get; init; }

    /// <summary>How long the old id stays usable after a rename, for requests already in flight. Zero kills it at once.</summary>
    public TimeSpan RotationGrace { get; init; }

    /// <summary>True when applying this change set would write nothing.</summary>
    public bool IsEmpty => !IsNew && !Touch && !ClearAttributes && Attributes.Count == 0 && !SetsPrincipal && NewSessionId is null;

    private static readonly IReadOnlyDictionary<string, AttributeChange> EmptyAttributes = new Dictionary<string, AttributeChange>(0);
}
