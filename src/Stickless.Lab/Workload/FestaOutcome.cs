namespace Stickless.Lab.Workload;

/// <summary>How one request to Festa ended, as the shadow model needs to tell it apart.</summary>
internal enum FestaOutcome
{
    /// <summary>A 2xx answer.</summary>
    Ok,

    /// <summary>401: the server treated the caller as anonymous.</summary>
    Unauthorized,

    /// <summary>Any other 4xx (the workload never sends a request that should get one).</summary>
    Rejected,

    /// <summary>A 5xx answer (HAProxy answers 503 when no server is up).</summary>
    ServerError,

    /// <summary>No answer within the request timeout.</summary>
    Timeout,

    /// <summary>The connection could not be opened or broke mid-request.</summary>
    ConnectionFailed,
}
