namespace Stickless.Lab.Deployment;

/// <summary>A strategy whose store servers count the requests they handle, so the bench can report store round trips per request from the servers' own figures.</summary>
internal interface IStoreRoundTripCounter
{
    /// <summary>The requests every store server has handled so far (summed); null when a server cannot be asked.</summary>
    Task<long?> CountStoreRequestsAsync(StrategyContext context, CancellationToken cancellationToken);
}
