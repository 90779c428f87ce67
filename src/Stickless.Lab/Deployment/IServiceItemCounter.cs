namespace Stickless.Lab.Deployment;

/// <summary>A strategy whose servers can say how many items each holds (for the dashboard's service cards).</summary>
internal interface IServiceItemCounter
{
    /// <summary>Items held, by service name; a service that does not answer is left out.</summary>
    Task<IReadOnlyDictionary<string, long>> CountItemsAsync(StrategyContext context, CancellationToken cancellationToken);
}
