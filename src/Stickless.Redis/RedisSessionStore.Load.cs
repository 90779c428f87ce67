using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    // A load that meets a Cluster rotation between its steps (grace above 0) waits this long, this often, for
    // the new id to appear before it reports the session gone.
    private const int FrozenRetries = 20;
    private static readonly TimeSpan FrozenRetryDelay = TimeSpan.FromMilliseconds(25);

    /// <inheritdoc />
    /// <remarks>
    /// One EVALSHA of <c>load.lua</c>; a second one only when the id was rotated away within its grace
    /// (the alias names its successor, which may live in another cluster slot). Ids that are not
    /// well formed (see <see cref="SessionIds.IsWellFormed"/>) are never looked up: they load as null.
    /// </remarks>
    public async ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return null;
        }

        using var call = StartCall(cancellationToken);
        try
        {
            var link = await ConnectedAsync(call).ConfigureAwait(false);
            var cluster = link.IsCluster == true;
            // In a cluster a touch leaves the session's expiry bucket (another slot) behind: a second round trip for
            // every touch would break rule 1, and the sweeper re-scores a due session it finds alive.
            var record = await LoadCoreAsync(call, sessionId, RedisArgs.Milliseconds(options.TouchAfter), cluster).ConfigureAwait(false);
            if (record is not null)
            {
                _principals.Remember(record.Id, record.Principal);
            }

            return record;
        }
        catch (Exception ex) when (IsStoreFailure(ex, call))
        {
            throw Unavailable(ex, call);
        }
    }

    private async Task<SessionRecord?> LoadCoreAsync(RedisStoreCall call, string sessionId, long touchAfter, bool cluster)
    {
        var id = sessionId;
        var frozenWaits = 0;
        for (var hop = 0; hop <= MaxAliasHops;)
        {
            RedisKey[] keys = cluster ? [_keys.Session(id)] : [_keys.Session(id), _keys.Expiry];
            var reply = await EvalAsync(call, RedisSessionScripts.Load, keys, [touchAfter, id]).ConfigureAwait(false);
            if (reply.IsNull)
            {
                if (hop > 0 && id != sessionId && frozenWaits > 0 && frozenWaits <= FrozenRetries)
                {
                    // Followed a rotation under way to a new id its next step has not created yet: look again.
                    await Task.Delay(FrozenRetryDelay, _timeProvider, call.Token).ConfigureAwait(false);
                    id = sessionId;
                    hop = 0;
                    continue;
                }

                return null;
            }

            var items = RedisReply.Items(reply, "load");
            var status = items.Length > 0 ? RedisReply.String(items[0], "load status") : null;
            switch (status)
            {
                case "moved":
                    id = ReadAliasTarget(items);
                    hop++;
                    continue;
                case "frozen":
                    // A Cluster rotation of this id is under way. Without grace (a sign-in) the old id is dead
                    // from that moment; with grace it follows to the new id, as an alias would.
                    if (items.Length != 3 || RedisReply.Int64(items[2], "frozen grace") == 0)
                    {
                        return null;
                    }

                    id = ReadAliasTarget(items[..2]);
                    frozenWaits++;
                    hop++;
                    continue;
                case "ok" when items.Length >= 3 && items.Length % 2 == 1:
                    return ReadRecord(id, items, isGraceAlias: id != sessionId);
                default:
                    throw Malformed($"load status '{status}' with {items.Length} items");
            }
        }

        return null;
    }

    private static string ReadAliasTarget(RedisResult[] items)
    {
        var target = items.Length == 2 ? RedisReply.String(items[1], "alias target") : null;
        if (target is null || !SessionIds.IsWellFormed(target))
        {
            throw Malformed("an alias that names no well-formed id");
        }

        return target;
    }

    /// <summary>Builds a record from <c>{'ok', now, touched, field, value, …}</c>.</summary>
    internal SessionRecord ReadRecord(string id, RedisResult[] items, bool isGraceAlias)
    {
        var now = RedisReply.Int64(items[1], "load time");
        var touched = RedisReply.Int64(items[2], "load touched") == 1;
        long? created = null, last = null, idle = null, absolute = null, revision = null;
        string? principal = null;
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 3; i < items.Length; i += 2)
        {
            var field = RedisReply.Bytes(items[i], "field name") ?? throw Malformed("a null field name");
            var value = items[i + 1];
            if (field.Length >= 2 && field[1] == (byte)':' && (field[0] == (byte)'a' || field[0] == (byte)'v'))
            {
                var name = Encoding.UTF8.GetString(field, 2, field.Length - 2);
                if (field[0] == (byte)'a')
                {
                    values[name] = RedisReply.Bytes(value, "attribute value") ?? [];
                }
                else
                {
                    versions[name] = RedisReply.Int64(value, "attribute version");
                }

                continue;
            }

            switch (Encoding.ASCII.GetString(field))
            {
                case "rev": revision = RedisReply.Int64(value, "rev"); break;
                case "created": created = RedisReply.Int64(value, "created"); break;
                case "last": last = RedisReply.Int64(value, "last"); break;
                case "idle": idle = RedisReply.Int64(value, "idle"); break;
                case "abs": absolute = RedisReply.Int64(value, "abs"); break;
                case "principal": principal = RedisReply.String(value, "principal"); break;
                default: break; // "gen", and fields a later revision may add
            }
        }

        if (revision != RedisSessionKeys.LayoutRevision)
        {
            throw Malformed($"layout revision {revision?.ToString(CultureInfo.InvariantCulture) ?? "none"}, this store reads {RedisSessionKeys.LayoutRevision}");
        }

        if (created is null || last is null || idle is null || absolute is null)
        {
            throw Malformed("a session hash without created, last, idle or abs");
        }

        if (idle < 0 || idle > RedisArgs.Milliseconds(TimeSpan.MaxValue) || (touched ? now : last.Value) + idle.Value > MaxUnixMs)
        {
            throw Malformed($"an idle timeout out of range ({idle} ms)");
        }

        var attributes = new Dictionary<string, SessionAttribute>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (versions.TryGetValue(name, out var version) && version > 0)
            {
                attributes[name] = new SessionAttribute(value, version);
            }
            else
            {
                LogAttributeWithoutVersion(_logger, name);
            }
        }

        return new SessionRecord
        {
            Id = id,
            CreatedAt = FromUnixMs(created.Value),
            LastAccessedAt = FromUnixMs(touched ? now : last.Value),
            IdleTimeout = TimeSpan.FromMilliseconds(idle.Value),
            AbsoluteExpiry = FromUnixMs(absolute.Value),
            Principal = principal,
            Attributes = attributes,
            Touched = touched,
            IsGraceAlias = isGraceAlias,
        };
    }

    // 9999-12-31T23:59:59.999Z, the last instant a DateTimeOffset holds.
    private const long MaxUnixMs = 253402300799999;

    private static DateTimeOffset FromUnixMs(long ms)
    {
        if (ms < 0 || ms > MaxUnixMs)
        {
            throw Malformed($"a time out of range ({ms} ms)");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
