namespace Stickless.Replication.Hosting;

/// <summary>
/// The session id a request last loaded or committed, noted by the store for the owner-affine routing cookie. The
/// peer middleware puts one in an async-local slot for each request; the store only writes to it, so it stays free
/// of HTTP types.
/// </summary>
internal sealed class RouteHint
{
    private static readonly AsyncLocal<RouteHint?> Slot = new();

    /// <summary>The current request's hint, or null outside a request that asked for one.</summary>
    public static RouteHint? Current
    {
        get => Slot.Value;
        set => Slot.Value = value;
    }

    /// <summary>The id of the request's session, once the store saw it; null after a delete.</summary>
    public string? SessionId { get; set; }
}
