using System.Globalization;
using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>The oldest Redis the scripts run on, checked on every server the store's multiplexer connects to.</summary>
internal static class RedisServerVersions
{
    /// <summary>Redis 6.2: <c>COPY</c> (rotation) and <c>GETEX</c>-era script semantics; RESP3 needs 6.0 already.</summary>
    public static readonly Version Minimum = new(6, 2, 0);

    /// <summary>A message naming every connected data server older than <see cref="Minimum"/>, or null when all are recent enough.</summary>
    public static string? FindTooOld(IConnectionMultiplexer multiplexer)
    {
        List<string>? old = null;
        foreach (var server in multiplexer.GetServers())
        {
            if (server.IsConnected && server.ServerType != ServerType.Sentinel && server.Version < Minimum)
            {
                (old ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{server.EndPoint} runs {server.Version}"));
            }
        }

        return old is null
            ? null
            : $"The Redis session store needs Redis {Minimum.ToString(3)} or newer (its scripts use COPY); {string.Join(", ", old)}.";
    }
}
