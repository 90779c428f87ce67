namespace Stickless.Lab.Deployment;

/// <summary>A failure the lab explains in one message (missing tool, busy port, a node that did not start).</summary>
internal sealed class LabException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LabException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public LabException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LabException()
    {
    }
}
