namespace Stickless;

/// <summary>The session store could not be reached, timed out, or answered wrongly.</summary>
/// <remarks>The failure policy decides what a request does then; by default it fails closed (HTTP 503).</remarks>
public sealed class SessionStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreUnavailableException() : base("The session store is unavailable.") { }

    /// <summary>Creates the exception with a message.</summary>
    public SessionStoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SessionStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// True when the store answered but could not confirm the change as required (for example fewer replicas acknowledged a
    /// write than asked): the request still fails closed, but the store is reachable, so the circuit breaker does not count
    /// it as the store being down.
    /// </summary>
    public bool StoreResponded { get; init; }
}
