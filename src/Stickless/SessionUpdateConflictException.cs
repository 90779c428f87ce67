namespace Stickless;

/// <summary>
/// A compare-and-set update of one session attribute conflicted on every attempt
/// (<see cref="SessionPolicy.MaxUpdateAttempts"/>): other requests of the same session kept changing the
/// attribute in between. Nothing of the update was written; the request may be retried as a whole.
/// </summary>
/// <remarks>
/// This is contention, not a failure of the store. The ASP.NET Core middleware answers it with
/// <c>409 Conflict</c> (a problem+json body and <c>Retry-After: 0</c>) when the response has not started.
/// </remarks>
public sealed class SessionUpdateConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionUpdateConflictException() : base("A session attribute update conflicted on every attempt; nothing was written.") { }

    /// <summary>Creates the exception with a message.</summary>
    public SessionUpdateConflictException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SessionUpdateConflictException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for <paramref name="attributeName"/>, whose update conflicted <paramref name="attempts"/> times.</summary>
    /// <param name="attributeName">The attribute that could not be updated.</param>
    /// <param name="attempts">How many compare-and-set attempts were made (all conflicted).</param>
    public SessionUpdateConflictException(string attributeName, int attempts)
        : base($"Updating session attribute '{attributeName}' conflicted on all {attempts} attempts ({nameof(SessionPolicy)}.{nameof(SessionPolicy.MaxUpdateAttempts)}): other requests of the session kept changing it. Nothing was written.")
    {
        AttributeName = attributeName;
        Attempts = attempts;
    }

    /// <summary>The attribute whose update gave up, when known.</summary>
    public string? AttributeName { get; init; }

    /// <summary>How many compare-and-set attempts were made, when known (zero otherwise).</summary>
    public int Attempts { get; init; }
}
