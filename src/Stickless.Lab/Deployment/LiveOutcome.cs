namespace Stickless.Lab.Deployment;

/// <summary>How one request the dashboard shows ended.</summary>
internal enum LiveOutcome
{
    /// <summary>Answered as expected.</summary>
    Ok,

    /// <summary>A signed-in user was answered as anonymous: the session was lost.</summary>
    SignedOut,

    /// <summary>5xx, timeout, broken connection.</summary>
    Error,
}
