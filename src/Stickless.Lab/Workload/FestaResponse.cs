namespace Stickless.Lab.Workload;

/// <summary>One answer from Festa: what was asked (<c>GET /me</c>), how it ended, who served it, how long it took, and the parsed body.</summary>
/// <typeparam name="T">The parsed body; default unless <see cref="Outcome"/> is <see cref="FestaOutcome.Ok"/>.</typeparam>
internal readonly record struct FestaResponse<T>(string Operation, FestaOutcome Outcome, int StatusCode, string? ServedBy, TimeSpan Latency, T? Value)
{
    /// <summary>True for answers that count as errors: 5xx, timeouts, broken connections and unexpected 4xx.</summary>
    public bool IsError => Outcome is FestaOutcome.ServerError or FestaOutcome.Timeout
        or FestaOutcome.ConnectionFailed or FestaOutcome.Rejected;

    /// <summary>True when the outcome of a write is unknown: it may or may not have been committed.</summary>
    public bool IsIndeterminate => Outcome is FestaOutcome.ServerError or FestaOutcome.Timeout or FestaOutcome.ConnectionFailed;
}
