using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
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

        var touchAfter = RedisArgs.Int(RedisArgs.Milliseconds(options.TouchAfter));
        var cluster = await IsClusterAsync(cancellationToken).ConfigureAwait(false); // cluster: the expiry bucket is another slot
        var id = sessionId;
        for (var hop = 0; hop <= MaxAliasHops; hop++)
        {
            var reply = await EvalAsync(RedisSessionScripts.Load, cluster ? [_keys.Session(id)] : [_keys.Session(id), _keys.Expiry], [touchAfter, RedisArgs.Utf8(id)], cancellationToken).ConfigureAwait(false);
            if (reply.IsNull)
            {
                return null;
            }

            if (!reply.IsAggregate || reply.Count < 2)
            {
                throw Malformed("load expected nil or an array");
            }

            var status = reply[0].GetString();
            if (status == "moved")
            {
                id = ReadMovedTarget(reply);
                continue;
            }

            if (status != "ok" || reply.Count < 3 || reply.Count % 2 != 1)
            {
                throw Malformed($"load status '{status}' with {reply.Count} items");
            }

            SessionRecord record;
            try
            {
                record = ReadRecord(id, reply, isGraceAlias: hop > 0);
            }
            catch (InvalidOperationException ex)
            {
                throw new SessionStoreUnavailableException("Redis answered the load script with a malformed reply.", ex);
            }

            if (cluster && record.Touched)
            {
                await IndexTouchInClusterAsync(record, cancellationToken).ConfigureAwait(false);
            }

            return record;
        }

        return null;
    }

    private static string ReadMovedTarget(RespValue reply)
    {
        var target = reply.Count == 2 ? reply[1].GetString() : null;
        if (target is null || !SessionIds.IsWellFormed(target))
        {
            throw Malformed("an alias that names no well-formed id");
        }

        return target;
    }

    /// <summary>Builds a record from <c>{'ok', now, touched, field, value, …}</c>.</summary>
    private SessionRecord ReadRecord(string id, RespValue reply, bool isGraceAlias)
    {
        var now = reply[1].GetInt64();
        var touched = reply[2].GetInt64() == 1;
        long? created = null, last = null, idle = null, absolute = null, revision = null;
        string? principal = null;
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var items = reply.Items;
        for (var i = 3; i < items.Count; i += 2)
        {
            var field = items[i].GetBytes() ?? throw Malformed("a null field name");
            var value = items[i + 1];
            if (field.Length >= 2 && field[1] == (byte)':' && (field[0] == (byte)'a' || field[0] == (byte)'v'))
            {
                var name = Encoding.UTF8.GetString(field, 2, field.Length - 2);
                if (field[0] == (byte)'a')
                {
                    values[name] = value.GetBytes() ?? [];
                }
                else
                {
                    versions[name] = value.GetInt64();
                }

                continue;
            }

            switch (Encoding.ASCII.GetString(field))
            {
                case "rev": revision = value.GetInt64(); break;
                case "created": created = value.GetInt64(); break;
                case "last": last = value.GetInt64(); break;
                case "idle": idle = value.GetInt64(); break;
                case "abs": absolute = value.GetInt64(); break;
                case "principal": principal = value.GetString(); break;
                default: break; // "gen", and fields a later revision may add
            }
        }

        if (revision != RedisSessionKeys.LayoutRevision)
        {
            throw Malformed($"layout revision {revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, this store reads {RedisSessionKeys.LayoutRevision}");
        }

        if (created is null || last is null || idle is null || absolute is null)
        {
            throw Malformed("a session hash without created, last, idle or abs");
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

    private static DateTimeOffset FromUnixMs(long ms)
    {
        if (ms < 0 || ms > 253402300799999)
        {
            throw Malformed($"a time out of range ({ms} ms)");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
