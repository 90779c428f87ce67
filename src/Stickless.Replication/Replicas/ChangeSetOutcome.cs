namespace Stickless.Replication.Replicas;

/// <summary>What applying a change set to a session decided.</summary>
/// <param name="Result">The answer for the caller.</param>
/// <param name="Session">On <see cref="CommitStatus.Committed"/>: the session after the change (under <see cref="SessionChangeSet.NewSessionId"/> for a rename).</param>
internal sealed record ChangeSetOutcome(CommitResult Result, ReplicaSession? Session);
