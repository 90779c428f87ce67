using Microsoft.Extensions.Logging;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>What one physical connection needs to know beyond its endpoint.</summary>
internal sealed class RedisConnectionSettings
{
    public RedisConnectionSettings(RedisConnectionOptions options, TimeProvider timeProvider, ILogger logger, string role)
    {
        Options = options;
        TimeProvider = timeProvider;
        Logger = logger;
        Role = role;
    }

    public RedisConnectionOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>"interactive" or "subscriber", for logs.</summary>
    public string Role { get; }

    /// <summary>
    /// Looks at each reply before FIFO matching; returns true when it was an out-of-band message (a pub/sub
    /// delivery) that answers no command. Runs on the read loop: it must not block.
    /// </summary>
    public Func<RespValue, bool>? OutOfBand { get; init; }

    /// <summary>
    /// On a RESP3 subscriber connection, <c>subscribe</c>/<c>unsubscribe</c> confirmations arrive as pushes and
    /// answer commands; elsewhere a push answers nothing and is ignored.
    /// </summary>
    public bool PushesAnswerCommands { get; init; }
}
