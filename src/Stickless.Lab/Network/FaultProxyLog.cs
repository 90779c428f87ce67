using System.Net;
using Microsoft.Extensions.Logging;

namespace Stickless.Lab.Network;

/// <summary>The fault proxy's log events (ids 6000–6099 of the lab's range 6000–6999).</summary>
internal static partial class FaultProxyLog
{
    [LoggerMessage(EventId = 6000, EventName = "FaultProxyStarted", Level = LogLevel.Information,
        Message = "Fault proxy {Link} listens on {Endpoint} and forwards to {Upstream}.")]
    public static partial void Started(ILogger logger, string link, string endpoint, EndPoint upstream);

    [LoggerMessage(EventId = 6001, EventName = "FaultProxyFaultsChanged", Level = LogLevel.Information,
        Message = "Fault proxy {Link}: {Faults} ({Connections} connections open).")]
    public static partial void FaultsChanged(ILogger logger, string link, LinkFaults faults, int connections);

    [LoggerMessage(EventId = 6002, EventName = "FaultProxyUpstreamUnreachable", Level = LogLevel.Warning,
        Message = "Fault proxy {Link}: could not connect to {Upstream}; the client is reset.")]
    public static partial void UpstreamUnreachable(ILogger logger, string link, EndPoint upstream, Exception exception);

    [LoggerMessage(EventId = 6003, EventName = "FaultProxyConnectionReset", Level = LogLevel.Debug,
        Message = "Fault proxy {Link}: connection reset ({Reason}).")]
    public static partial void ConnectionReset(ILogger logger, string link, string reason);

    [LoggerMessage(EventId = 6004, EventName = "FaultProxyConnectionDropped", Level = LogLevel.Debug,
        Message = "Fault proxy {Link}: connection closed by a drop ({Direction}).")]
    public static partial void ConnectionDropped(ILogger logger, string link, ProxyDirection direction);

    [LoggerMessage(EventId = 6005, EventName = "FaultProxyConnectionRejected", Level = LogLevel.Warning,
        Message = "Fault proxy {Link}: {Open} connections are open, the most it keeps; a new one is reset.")]
    public static partial void ConnectionRejected(ILogger logger, string link, int open);

    [LoggerMessage(EventId = 6006, EventName = "FaultProxyStopped", Level = LogLevel.Information,
        Message = "Fault proxy {Link} stopped; {Connections} connections were reset.")]
    public static partial void Stopped(ILogger logger, string link, int connections);

    [LoggerMessage(EventId = 6007, EventName = "FaultProxyAcceptFailed", Level = LogLevel.Warning,
        Message = "Fault proxy {Link}: accepting a connection failed; it keeps listening.")]
    public static partial void AcceptFailed(ILogger logger, string link, Exception exception);
}
