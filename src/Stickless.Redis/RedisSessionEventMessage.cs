using System.Globalization;

namespace Stickless.Redis;

/// <summary>
/// The text of a lifecycle event on the event channel, as the scripts publish it:
/// <c>&lt;kind&gt;|&lt;unix ms&gt;|&lt;id&gt;|&lt;new id&gt;|&lt;principal&gt;</c>, kind one of
/// <c>C</c> created, <c>R</c> renewed, <c>D</c> deleted, <c>E</c> expired. The principal comes last so
/// that it may contain the separator; empty new id or principal means none.
/// </summary>
internal static class RedisSessionEventMessage
{
    public static bool TryParse(string text, out SessionLifecycleEvent? sessionEvent)
    {
        sessionEvent = null;
        var parts = text.Split('|', 5);
        if (parts.Length != 5 || parts[0].Length != 1)
        {
            return false;
        }

        SessionEventKind kind;
        switch (parts[0][0])
        {
            case 'C': kind = SessionEventKind.Created; break;
            case 'R': kind = SessionEventKind.IdRenewed; break;
            case 'D': kind = SessionEventKind.Deleted; break;
            case 'E': kind = SessionEventKind.Expired; break;
            default: return false;
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !SessionIds.IsWellFormed(parts[2]))
        {
            return false;
        }

        var newId = parts[3].Length == 0 ? null : parts[3];
        if (kind == SessionEventKind.IdRenewed ? newId is null || !SessionIds.IsWellFormed(newId) : newId is not null)
        {
            return false;
        }

        sessionEvent = new SessionLifecycleEvent(kind, parts[2], newId, parts[4].Length == 0 ? null : parts[4], DateTimeOffset.FromUnixTimeMilliseconds(ms));
        return true;
    }
}
