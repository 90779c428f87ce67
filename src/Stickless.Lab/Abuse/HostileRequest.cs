namespace Stickless.Lab.Abuse;

/// <summary>
/// One abusive request, ready to send: its kind (for the tally), why it is abusive, its bytes, and what its answer must
/// not be beyond the rules every answer keeps (no 5xx, no hang, nobody else's data).
/// </summary>
/// <param name="Kind">The attack family (<c>forged-cookie</c>, <c>json-body</c>, …).</param>
/// <param name="Why">What this request does, for the examples in the report.</param>
/// <param name="Bytes">The whole request as sent.</param>
internal sealed record HostileRequest(string Kind, string Why, byte[] Bytes)
{
    /// <summary>True for a HEAD request (its answer has no body).</summary>
    public bool Head { get; init; }

    /// <summary>
    /// True when the request goes on a connection of its own, closed after its answer: for requests that could leave
    /// the connection out of step (a smuggling attempt may be answered twice). Default false.
    /// </summary>
    public bool OwnConnection { get; init; }

    /// <summary>A check of its own: null when the answer is acceptable, else what is wrong with it.</summary>
    public Func<RawHttpResponse, string?>? Check { get; init; }
}
