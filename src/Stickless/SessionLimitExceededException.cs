namespace Stickless;

/// <summary>A write would break one of <see cref="SessionLimits"/>; nothing was changed.</summary>
public sealed class SessionLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionLimitExceededException() : base("A session limit was exceeded.") { }

    /// <summary>Creates the exception with a message that names the limit and the values.</summary>
    public SessionLimitExceededException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SessionLimitExceededException(string message, Exception innerException) : base(message, innerException) { }
}
