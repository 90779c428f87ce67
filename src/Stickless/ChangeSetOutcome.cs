namespace Stickless;

/// <summary>What <see cref="ChangeSetApplier.Apply"/> decided: the answer for the caller and, when committed, the session to store.</summary>
public sealed class ChangeSetOutcome
{
    internal ChangeSetOutcome(CommitResult result, StoredSession? session)
    {
        Result = result;
        Session = session;
    }

    /// <summary>The answer to return from <see cref="ISessionStore.CommitAsync"/>.</summary>
    public CommitResult Result { get; }

    /// <summary>The outcome's status (a shortcut for <c>Result.Status</c>).</summary>
    public CommitStatus Status => Result.Status;

    /// <summary>
    /// On <see cref="CommitStatus.Committed"/>, the session to store in place of the current one. Its
    /// <see cref="StoredSession.Id"/> is the change set's <see cref="SessionChangeSet.NewSessionId"/> when the change set
    /// renames the session (the store moves it and retires the old id). Null otherwise.
    /// </summary>
    public StoredSession? Session { get; }

    /// <summary>True when the committed session has other attributes, principal or id than before (a touch alone is not a change).</summary>
    public bool ChangesContent { get; internal init; }
}
