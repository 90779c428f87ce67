namespace Stickless.Lab.Abuse;

/// <summary>One attack family's figures in <c>abuse.json</c>.</summary>
internal sealed record AttackFigures
{
    /// <summary>The family (<c>forged-cookie</c>, …; <c>slow-headers</c> and <c>slow-body</c> for the slow clients).</summary>
    public required string Kind { get; init; }

    /// <summary>Requests sent.</summary>
    public long Requests { get; init; }

    /// <summary>Answers by status code.</summary>
    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();

    /// <summary>Connections closed before a whole answer (the server refused to go on: allowed).</summary>
    public long Closed { get; init; }

    /// <summary>Requests with no whole answer within the timeout: a hang (a failure).</summary>
    public long TimedOut { get; init; }

    /// <summary>Connections refused (HAProxy down: a failure).</summary>
    public long Refused { get; init; }

    /// <summary>Answers of 500 and above (a failure).</summary>
    public long ServerErrors { get; init; }

    /// <summary>Answers the family's own check refused (an id adopted, an unexpected status: a failure).</summary>
    public long Violations { get; init; }

    /// <summary>Answers that held a real user's canary, name or id (the worst failure).</summary>
    public long Leaks { get; init; }

    /// <summary>Answers a Festa node gave (the rest: HAProxy refused the request itself).</summary>
    public long ServedByNode { get; init; }

    /// <summary>The 99th percentile time to an answer (or a close), in milliseconds.</summary>
    public double P99Ms { get; init; }

    /// <summary>Up to five of the failed checks.</summary>
    public IReadOnlyList<string> ViolationExamples { get; init; } = [];

    /// <summary>Up to five of the leaks.</summary>
    public IReadOnlyList<string> LeakExamples { get; init; } = [];
}
