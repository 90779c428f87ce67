namespace Stickless;

/// <summary>
/// Decides a commit: applies a <see cref="SessionChangeSet"/> to what a store holds under the id, the same way in every
/// store that keeps a session as one value. The store supplies what it holds and stores what this returns; where the
/// bytes live (keys, items, owners, copies, aliases, the per-user index) is the store's business, the rules are here.
/// </summary>
/// <remarks>
/// <para>The rules (DESIGN.md, "rules every store keeps"):</para>
/// <list type="bullet">
/// <item>A create (<see cref="SessionChangeSet.IsNew"/>) over a live session answers <see cref="CommitStatus.AlreadyExists"/>;
/// anything else over nothing, or over an expired session, answers <see cref="CommitStatus.NotFound"/>: a commit never
/// resurrects.</item>
/// <item>Each <see cref="AttributeChange.ExpectedVersion"/> is compared with the version stored before the change set
/// (before <see cref="SessionChangeSet.ClearAttributes"/>); any mismatch refuses the whole change set with
/// <see cref="CommitStatus.Conflict"/> and what the store holds for each mismatched attribute. So does an operation whose
/// attribute has the wrong shape (see <see cref="AttributeOperations"/>).</item>
/// <item>Every attribute the change set writes gets the same new version, <see cref="StoredSession.LastVersion"/> + 1
/// (1 for a new session); an operation that changes nothing keeps the attribute's version.</item>
/// <item>Then: clear, the attribute changes, the principal, the touch (last accessed = the <c>now</c> given to
/// <see cref="Apply"/>), and the rename to <see cref="SessionChangeSet.NewSessionId"/>.</item>
/// </list>
/// <para>Times are the store's own clock (<c>now</c>); <see cref="SessionChangeSet.Now"/> is not used.</para>
/// </remarks>
public static class ChangeSetApplier
{
    private static readonly IReadOnlyDictionary<string, long> NoVersions = new Dictionary<string, long>(0);
    private static readonly IReadOnlyDictionary<string, SessionAttribute?> NoResults = new Dictionary<string, SessionAttribute?>(0);

    /// <summary>Applies <paramref name="changes"/> to <paramref name="current"/> at <paramref name="now"/>.</summary>
    /// <param name="current">What the store holds under <see cref="SessionChangeSet.SessionId"/>, or null for nothing (expired sessions are treated as nothing).</param>
    /// <param name="changes">The change set; checked with <see cref="Validate"/>.</param>
    /// <param name="now">The store's clock.</param>
    /// <exception cref="ArgumentException">The change set is inconsistent (see <see cref="Validate"/>).</exception>
    public static ChangeSetOutcome Apply(StoredSession? current, SessionChangeSet changes, DateTimeOffset now)
    {
        Validate(changes);
        var live = current is not null && !current.IsExpiredAt(now) ? current : null;
        if (changes.IsNew)
        {
            return live is not null ? new ChangeSetOutcome(CommitResult.AlreadyExists, null) : Create(changes, now);
        }

        return live is null ? new ChangeSetOutcome(CommitResult.NotFound, null) : Update(live, changes, now);
    }

    /// <summary>Throws unless <paramref name="changes"/> is consistent.</summary>
    /// <exception cref="ArgumentException">
    /// A create without a positive idle timeout or without an absolute expiry, a create that also renames, a rename to the
    /// same id, a negative grace, or an empty attribute name.
    /// </exception>
    public static void Validate(SessionChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentException.ThrowIfNullOrEmpty(changes.SessionId, nameof(changes));
        ArgumentNullException.ThrowIfNull(changes.Attributes, nameof(changes));
        if (changes.IsNew)
        {
            if (changes.IdleTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"A new session needs a positive {nameof(SessionChangeSet.IdleTimeout)} (was {changes.IdleTimeout}).", nameof(changes));
            }

            if (changes.AbsoluteExpiry == default)
            {
                throw new ArgumentException($"A new session needs an {nameof(SessionChangeSet.AbsoluteExpiry)}.", nameof(changes));
            }

            if (changes.NewSessionId is not null)
            {
                throw new ArgumentException($"A new session is created under its final id: {nameof(SessionChangeSet.NewSessionId)} must be null when {nameof(SessionChangeSet.IsNew)} is true.", nameof(changes));
            }
        }

        if (changes.NewSessionId is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(changes.NewSessionId, nameof(changes));
            if (string.Equals(changes.NewSessionId, changes.SessionId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{nameof(SessionChangeSet.NewSessionId)} must differ from {nameof(SessionChangeSet.SessionId)}.", nameof(changes));
            }
        }

        if (changes.RotationGrace < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(SessionChangeSet.RotationGrace)} must not be negative (was {changes.RotationGrace}).", nameof(changes));
        }

        foreach (var name in changes.Attributes.Keys)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("Attribute names must not be empty.", nameof(changes));
            }
        }
    }

    private static ChangeSetOutcome Create(SessionChangeSet changes, DateTimeOffset now)
    {
        var empty = new StoredSession
        {
            Id = changes.SessionId,
            CreatedAt = now,
            LastAccessedAt = now,
            IdleTimeout = changes.IdleTimeout,
            AbsoluteExpiry = changes.AbsoluteExpiry,
        };

        return ApplyTo(empty, changes, now, isNew: true);
    }

    private static ChangeSetOutcome Update(StoredSession current, SessionChangeSet changes, DateTimeOffset now) =>
        ApplyTo(current, changes, now, isNew: false);

    private static ChangeSetOutcome ApplyTo(StoredSession current, SessionChangeSet changes, DateTimeOffset now, bool isNew)
    {
        var stored = current.Attributes;
        Dictionary<string, SessionAttribute?>? conflicts = null;
        foreach (var (name, change) in changes.Attributes)
        {
            if (change.ExpectedVersion is { } expected)
            {
                var exists = stored.TryGetValue(name, out var attribute);
                if ((exists ? attribute.Version : 0) != expected)
                {
                    (conflicts ??= new(StringComparer.Ordinal))[name] = exists ? attribute : null;
                }
            }
        }

        if (conflicts is not null)
        {
            return new ChangeSetOutcome(CommitResult.Conflict(conflicts), null);
        }

        var attributes = stored;
        var newVersions = NoVersions;
        var operationResults = NoResults;
        var lastVersion = current.LastVersion;
        var changesContent = false;
        if (changes.ClearAttributes || changes.Attributes.Count > 0)
        {
            var version = lastVersion + 1;
            var rebuilt = changes.ClearAttributes
                ? new Dictionary<string, SessionAttribute>(changes.Attributes.Count, StringComparer.Ordinal)
                : new Dictionary<string, SessionAttribute>(stored, StringComparer.Ordinal);
            changesContent = changes.ClearAttributes && stored.Count > 0;
            Dictionary<string, long>? versions = null;
            Dictionary<string, SessionAttribute?>? results = null;
            foreach (var (name, change) in changes.Attributes)
            {
                switch (change.Kind)
                {
                    case AttributeChangeKind.Set:
                        // Copied: the caller may reuse its buffer, and a stored value never changes.
                        rebuilt[name] = new SessionAttribute(change.Value.ToArray(), version);
                        (versions ??= new(StringComparer.Ordinal))[name] = version;
                        changesContent = true;
                        break;
                    case AttributeChangeKind.Remove:
                        changesContent |= rebuilt.Remove(name);
                        break;
                    default:
                        var exists = rebuilt.TryGetValue(name, out var before);
                        var outcome = AttributeOperations.Apply(change, exists ? before.Value.Span : default, exists, out var value);
                        if (outcome == AttributeOperations.Outcome.Refused)
                        {
                            // The value has the wrong shape: the caller is told what is there, nothing is written.
                            return new ChangeSetOutcome(CommitResult.Conflict(new Dictionary<string, SessionAttribute?>(StringComparer.Ordinal) { [name] = exists ? before : null }), null);
                        }

                        if (outcome == AttributeOperations.Outcome.Changed)
                        {
                            var written = new SessionAttribute(value, version);
                            rebuilt[name] = written;
                            (versions ??= new(StringComparer.Ordinal))[name] = version;
                            (results ??= new(StringComparer.Ordinal))[name] = written;
                            changesContent = true;
                        }
                        else
                        {
                            (results ??= new(StringComparer.Ordinal))[name] = exists ? before : null;
                        }

                        break;
                }
            }

            if (versions is not null)
            {
                newVersions = versions;
                lastVersion = version;
            }

            operationResults = results ?? NoResults;
            attributes = rebuilt.AsReadOnly();
        }

        var principal = changes.SetsPrincipal ? changes.Principal : current.Principal;
        changesContent |= !string.Equals(principal, current.Principal, StringComparison.Ordinal) || changes.NewSessionId is not null;
        var next = new StoredSession
        {
            Id = changes.NewSessionId ?? current.Id,
            CreatedAt = current.CreatedAt,
            LastAccessedAt = isNew || changes.Touch ? now : current.LastAccessedAt,
            IdleTimeout = current.IdleTimeout,
            AbsoluteExpiry = current.AbsoluteExpiry,
            Principal = principal,
            Attributes = attributes,
            LastVersion = lastVersion,
        };

        var result = operationResults.Count > 0
            ? CommitResult.Committed(newVersions, operationResults)
            : CommitResult.Committed(newVersions);
        return new ChangeSetOutcome(result, next) { ChangesContent = changesContent || isNew };
    }
}
