namespace Stickless.Replication.Replicas;

/// <summary>
/// Applies a <see cref="SessionChangeSet"/> to a session exactly as the in-memory store decides it: compare-and-set per
/// attribute against the versions before the change (before a clear), one new version (the counter plus one) for every
/// attribute set, clear, principal, touch and rename. Pure: the store decides only where the bytes live.
/// </summary>
internal static class ChangeSetApplication
{
    private static readonly IReadOnlyDictionary<string, long> NoVersions = new Dictionary<string, long>(0);
    private static readonly IReadOnlyDictionary<string, SessionAttribute> NoAttributes = new Dictionary<string, SessionAttribute>(0, StringComparer.Ordinal);

    /// <param name="current">The live session (null when absent, deleted or expired).</param>
    /// <param name="changes">The change set.</param>
    /// <param name="now">The owner's clock.</param>
    public static ChangeSetOutcome Apply(ReplicaSession? current, SessionChangeSet changes, DateTimeOffset now)
    {
        if (changes.IsNew)
        {
            if (current is not null)
            {
                return new ChangeSetOutcome(CommitResult.AlreadyExists, null);
            }

            current = new ReplicaSession
            {
                Id = changes.SessionId,
                CreatedAt = now,
                LastAccessedAt = now,
                IdleTimeout = changes.IdleTimeout,
                AbsoluteExpiry = changes.AbsoluteExpiry,
                Attributes = NoAttributes,
            };
        }
        else if (current is null)
        {
            return new ChangeSetOutcome(CommitResult.NotFound, null);
        }

        Dictionary<string, SessionAttribute?>? conflicts = null;
        foreach (var (name, change) in changes.Attributes)
        {
            if (change.ExpectedVersion is not { } expected)
            {
                continue;
            }

            var exists = current.Attributes.TryGetValue(name, out var stored);
            if ((exists ? stored.Version : 0) != expected)
            {
                (conflicts ??= new(StringComparer.Ordinal))[name] = exists ? stored : null;
            }
        }

        if (conflicts is not null)
        {
            return new ChangeSetOutcome(CommitResult.Conflict(conflicts), null);
        }

        var attributes = current.Attributes;
        var lastVersion = current.LastVersion;
        var newVersions = NoVersions;
        if (changes.ClearAttributes || changes.Attributes.Count > 0)
        {
            var rebuilt = changes.ClearAttributes
                ? new Dictionary<string, SessionAttribute>(changes.Attributes.Count, StringComparer.Ordinal)
                : new Dictionary<string, SessionAttribute>(current.Attributes, StringComparer.Ordinal);
            Dictionary<string, long>? versions = null;
            foreach (var (name, change) in changes.Attributes)
            {
                if (change.IsRemoval)
                {
                    rebuilt.Remove(name);
                }
                else
                {
                    // Copied: the caller may reuse its buffer, and a stored value never changes.
                    rebuilt[name] = new SessionAttribute(change.Value.ToArray(), lastVersion + 1);
                    (versions ??= new(StringComparer.Ordinal))[name] = lastVersion + 1;
                }
            }

            if (versions is not null)
            {
                lastVersion++;
                newVersions = versions;
            }

            attributes = rebuilt;
        }

        var session = new ReplicaSession
        {
            Id = changes.NewSessionId ?? current.Id,
            CreatedAt = current.CreatedAt,
            LastAccessedAt = changes.Touch || changes.IsNew ? now : current.LastAccessedAt,
            IdleTimeout = current.IdleTimeout,
            AbsoluteExpiry = current.AbsoluteExpiry,
            Principal = changes.SetsPrincipal ? changes.Principal : current.Principal,
            Attributes = attributes,
            LastVersion = lastVersion,
        };
        return new ChangeSetOutcome(CommitResult.Committed(newVersions), session);
    }
}
