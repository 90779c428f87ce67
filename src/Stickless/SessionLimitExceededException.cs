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

    /// <summary>The name of the <see cref="SessionLimits"/> property that was exceeded (for example <c>MaxAttributeBytes</c>), when known.</summary>
    public string? LimitName { get; init; }

    /// <summary>The configured limit, when known.</summary>
    public long Limit { get; init; }

    /// <summary>The value that broke the limit, when known.</summary>
    public long Actual { get; init; }

    /// <summary>The attribute whose write broke the limit, when known (possibly shortened).</summary>
    public string? AttributeName { get; init; }
}
