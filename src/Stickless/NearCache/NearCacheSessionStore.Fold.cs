namespace Stickless;

public sealed partial class NearCacheSessionStore
{
    /// <summary>
    /// The copy after a commit that the store says was the session's very next write after <paramref name="before"/>: the
    /// change set applied with the store's own outcome (the versions it gave, what operations left, its clock). Null when
    /// the answer does not say enough to build it exactly (a store without a commit clock, a version missing).
    /// </summary>
    internal static SessionRecord? Fold(SessionRecord before, SessionChangeSet changes, CommitResult result)
    {
        if (changes.Touch && result.CommittedAt is null)
        {
            return null;
        }

        var attributes = changes.ClearAttributes
            ? new Dictionary<string, SessionAttribute>(changes.Attributes.Count, StringComparer.Ordinal)
            : new Dictionary<string, SessionAttribute>(before.Attributes, StringComparer.Ordinal);
        foreach (var (name, change) in changes.Attributes)
        {
            switch (change.Kind)
            {
                case AttributeChangeKind.Set:
                    if (!result.NewVersions.TryGetValue(name, out var version))
                    {
                        return null;
                    }

                    // Copied: the caller's buffer is not the cache's to keep.
                    attributes[name] = new SessionAttribute(change.Value.ToArray(), version);
                    break;
                case AttributeChangeKind.Remove:
                    attributes.Remove(name);
                    break;
                default:
                    if (!result.OperationResults.TryGetValue(name, out var after))
                    {
                        return null;
                    }

                    if (after is { } attribute)
                    {
                        attributes[name] = attribute;
                    }
                    else
                    {
                        attributes.Remove(name);
                    }

                    break;
            }
        }

        return new SessionRecord
        {
            Id = before.Id,
            CreatedAt = before.CreatedAt,
            LastAccessedAt = changes.Touch ? result.CommittedAt!.Value : before.LastAccessedAt,
            IdleTimeout = before.IdleTimeout,
            AbsoluteExpiry = before.AbsoluteExpiry,
            Principal = changes.SetsPrincipal ? changes.Principal : before.Principal,
            Attributes = attributes,
            Sequence = result.Sequence,
        };
    }
}
