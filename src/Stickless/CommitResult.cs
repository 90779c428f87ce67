namespace Stickless;

/// <summary>The answer to <see cref="ISessionStore.CommitAsync"/>.</summary>
public sealed class CommitResult
{
    private static readonly IReadOnlyDictionary<string, long> NoVersions = new Dictionary<string, long>(0);
    private static readonly IReadOnlyDictionary<string, SessionAttribute?> NoConflicts = new Dictionary<string, SessionAttribute?>(0);
    private static readonly IReadOnlyDictionary<string, SessionAttribute?> NoOperationResults = new Dictionary<string, SessionAttribute?>(0);

    /// <summary>A commit that found the session gone.</summary>
    public static CommitResult NotFound { get; } = new() { Status = CommitStatus.NotFound };

    /// <summary>A create that found the id taken.</summary>
    public static CommitResult AlreadyExists { get; } = new() { Status = CommitStatus.AlreadyExists };

    /// <summary>The outcome.</summary>
    public required CommitStatus Status { get; init; }

    /// <summary>On <see cref="CommitStatus.Committed"/>: the new version of every attribute that was set.</summary>
    public IReadOnlyDictionary<string, long> NewVersions { get; init; } = NoVersions;

    /// <summary>
    /// On <see cref="CommitStatus.Conflict"/>: for each attribute whose compare-and-set failed, what the
    /// store holds now (null when the attribute no longer exists), so the caller can retry without
    /// another read.
    /// </summary>
    public IReadOnlyDictionary<string, SessionAttribute?> Conflicts { get; init; } = NoConflicts;

    /// <summary>
    /// On <see cref="CommitStatus.Committed"/>: for each attribute changed by an operation (<see cref="AttributeChange.IsOperation"/>),
    /// what the store holds after it (value and version; null when the attribute does not exist), so the caller learns
    /// the counter's new value or the set's members without another read.
    /// </summary>
    public IReadOnlyDictionary<string, SessionAttribute?> OperationResults { get; init; } = NoOperationResults;

    /// <summary>
    /// On <see cref="CommitStatus.Committed"/>: the session's write counter after this commit (see
    /// <see cref="SessionRecord.Sequence"/>); exactly one more than before, since a commit is one write. Null when the
    /// store keeps none.
    /// </summary>
    public long? Sequence { get; init; }

    /// <summary>
    /// On <see cref="CommitStatus.Committed"/>: the store's clock when it applied the commit, which is the session's new
    /// last access when the commit touched it. Null when the store does not say.
    /// </summary>
    public DateTimeOffset? CommittedAt { get; init; }

    /// <summary>This result with the session's write counter and the store's clock (for stores that keep them).</summary>
    /// <param name="sequence">The session's write counter after the commit.</param>
    /// <param name="committedAt">The store's clock when the commit was applied.</param>
    public CommitResult WithSequence(long sequence, DateTimeOffset committedAt) => new()
    {
        Status = Status,
        NewVersions = NewVersions,
        Conflicts = Conflicts,
        OperationResults = OperationResults,
        Sequence = sequence,
        CommittedAt = committedAt,
    };

    /// <summary>Creates a successful result.</summary>
    public static CommitResult Committed(IReadOnlyDictionary<string, long> newVersions) => new() { Status = CommitStatus.Committed, NewVersions = newVersions };

    /// <summary>Creates a successful result that reports the outcome of attribute operations.</summary>
    public static CommitResult Committed(IReadOnlyDictionary<string, long> newVersions, IReadOnlyDictionary<string, SessionAttribute?> operationResults) =>
        new() { Status = CommitStatus.Committed, NewVersions = newVersions, OperationResults = operationResults };

    /// <summary>Creates a conflict result.</summary>
    public static CommitResult Conflict(IReadOnlyDictionary<string, SessionAttribute?> conflicts) => new() { Status = CommitStatus.Conflict, Conflicts = conflicts };
}
