using Stickless.Replication.Transport;

namespace Stickless.Replication.Replicas;

/// <summary>
/// Body encodings of sessions, states, change sets and results in peer messages. Bounds: ids 256 bytes, names and
/// principals 4,096 bytes, values the frame limit, counts 65,535; a violation is a <see cref="PeerProtocolException"/>.
/// </summary>
internal static class ReplicaWire
{
    public const int MaxIdBytes = 256;
    public const int MaxNameBytes = 4096;
    public const int MaxCount = 65_535;

    public static void Version(PeerWriter writer, ReplicaVersion version)
    {
        writer.Int64(version.Epoch);
        writer.String(version.EpochOwner);
        writer.Int64(version.Seq);
    }

    public static ReplicaVersion Version(ref PeerReader reader)
    {
        var epoch = reader.Int64();
        var owner = reader.String(Membership.NodeIds.MaxLength, "epoch owner");
        var seq = reader.Int64();
        if (epoch < 1 || seq < 0)
        {
            throw new PeerProtocolException($"Version {epoch}:{seq} is out of range.");
        }

        return new ReplicaVersion(epoch, owner, seq);
    }

    public static void Attributes(PeerWriter writer, IReadOnlyDictionary<string, SessionAttribute> attributes)
    {
        writer.Int32(attributes.Count);
        foreach (var (name, attribute) in attributes)
        {
            writer.String(name);
            writer.Int64(attribute.Version);
            writer.Bytes(attribute.Value.Span);
        }
    }

    public static Dictionary<string, SessionAttribute> Attributes(ref PeerReader reader, int maxValueBytes)
    {
        var count = reader.Count(MaxCount, "attribute count");
        var attributes = new Dictionary<string, SessionAttribute>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.String(MaxNameBytes, "attribute name");
            var version = reader.Int64();
            var value = reader.Bytes(maxValueBytes, "attribute value");
            if (name.Length == 0 || version < 1 || !attributes.TryAdd(name, new SessionAttribute(value, version)))
            {
                throw new PeerProtocolException("An attribute has an empty or repeated name or a version below 1.");
            }
        }

        return attributes;
    }

    public static void Session(PeerWriter writer, StoredSession session)
    {
        writer.String(session.Id);
        writer.Instant(session.CreatedAt);
        writer.Instant(session.LastAccessedAt);
        writer.Duration(session.IdleTimeout);
        writer.Instant(session.AbsoluteExpiry);
        writer.NullableString(session.Principal);
        writer.Int64(session.LastVersion);
        Attributes(writer, session.Attributes);
    }

    public static StoredSession Session(ref PeerReader reader, int maxValueBytes)
    {
        var session = new StoredSession
        {
            Id = Id(ref reader),
            CreatedAt = reader.Instant(),
            LastAccessedAt = reader.Instant(),
            IdleTimeout = reader.Duration(),
            AbsoluteExpiry = reader.Instant(),
            Principal = reader.NullableString(MaxNameBytes, "principal"),
            LastVersion = reader.Int64(),
            Attributes = Attributes(ref reader, maxValueBytes),
        };
        if (session.LastVersion < 0 || session.Attributes.Values.Any(a => a.Version > session.LastVersion))
        {
            throw new PeerProtocolException("A session holds an attribute version above its version counter.");
        }

        return session;
    }

    public static string Id(ref PeerReader reader)
    {
        var id = reader.String(MaxIdBytes, "session id");
        return id.Length == 0 ? throw new PeerProtocolException("Empty session id.") : id;
    }

    public static void State(PeerWriter writer, ReplicaState state)
    {
        Version(writer, state.Version);
        writer.Bool(state.ForkedFrom is not null);
        if (state.ForkedFrom is { } fork)
        {
            Version(writer, fork);
        }

        writer.Bool(state.Session is not null);
        if (state.Session is { } session)
        {
            Session(writer, session);
            return;
        }

        writer.Instant(state.DeletedAt);
        writer.Instant(state.RetainUntil);
        writer.NullableString(state.RotatedTo);
        writer.Instant(state.GraceUntil);
    }

    public static ReplicaState State(ref PeerReader reader, int maxValueBytes)
    {
        var version = Version(ref reader);
        ReplicaVersion? fork = reader.Bool() ? Version(ref reader) : null;
        if (reader.Bool())
        {
            return new ReplicaState { Version = version, ForkedFrom = fork, Session = Session(ref reader, maxValueBytes) };
        }

        return new ReplicaState
        {
            Version = version,
            ForkedFrom = fork,
            DeletedAt = reader.Instant(),
            RetainUntil = reader.Instant(),
            RotatedTo = reader.NullableString(MaxIdBytes, "rotated-to id"),
            GraceUntil = reader.Instant(),
        };
    }

    public static void ChangeSet(PeerWriter writer, SessionChangeSet changes)
    {
        writer.String(changes.SessionId);
        writer.Bool(changes.IsNew);
        writer.Instant(changes.Now);
        writer.Duration(changes.IdleTimeout);
        writer.Instant(changes.AbsoluteExpiry);
        writer.Bool(changes.Touch);
        writer.Bool(changes.ClearAttributes);
        writer.Bool(changes.SetsPrincipal);
        writer.NullableString(changes.Principal);
        writer.NullableString(changes.NewSessionId);
        writer.Duration(changes.RotationGrace);
        writer.Int32(changes.Attributes.Count);
        foreach (var (name, change) in changes.Attributes)
        {
            writer.String(name);
            writer.Byte((byte)change.Kind);
            writer.Bool(change.ExpectedVersion is not null);
            writer.Int64(change.ExpectedVersion ?? 0);
            writer.Int64(change.Delta);
            if (change.Kind is not (AttributeChangeKind.Remove or AttributeChangeKind.Increment))
            {
                writer.Bytes(change.Value.Span);
            }
        }
    }

    public static SessionChangeSet ChangeSet(ref PeerReader reader, int maxValueBytes)
    {
        var id = Id(ref reader);
        var isNew = reader.Bool();
        var now = reader.Instant();
        var idle = reader.Duration();
        var absolute = reader.Instant();
        var touch = reader.Bool();
        var clear = reader.Bool();
        var setsPrincipal = reader.Bool();
        var principal = reader.NullableString(MaxNameBytes, "principal");
        var newId = reader.NullableString(MaxIdBytes, "new session id");
        var grace = reader.Duration();
        var count = reader.Count(MaxCount, "attribute change count");
        var attributes = new Dictionary<string, AttributeChange>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.String(MaxNameBytes, "attribute name");
            var kind = (AttributeChangeKind)reader.Byte();
            var hasExpected = reader.Bool();
            var expected = reader.Int64();
            var delta = reader.Int64();
            long? expectedVersion = hasExpected ? expected : null;
            if (!Enum.IsDefined(kind) || (hasExpected && kind is not (AttributeChangeKind.Set or AttributeChangeKind.Remove)))
            {
                throw new PeerProtocolException($"Attribute change kind {(byte)kind} is unknown or carries an expected version it cannot have.");
            }

            AttributeChange change;
            try
            {
                change = kind switch
                {
                    AttributeChangeKind.Set => AttributeChange.Set(reader.Bytes(maxValueBytes, "attribute value"), expectedVersion),
                    AttributeChangeKind.Remove => AttributeChange.Remove(expectedVersion),
                    AttributeChangeKind.Increment => AttributeChange.Increment(delta),
                    AttributeChangeKind.AddToSet => AttributeChange.AddToSet(reader.Bytes(maxValueBytes, "set member")),
                    _ => AttributeChange.RemoveFromSet(reader.Bytes(maxValueBytes, "set member")),
                };
            }
            catch (ArgumentException ex)
            {
                throw new PeerProtocolException($"Attribute {name}: {ex.Message}", ex);
            }
            if (name.Length == 0 || !attributes.TryAdd(name, change))
            {
                throw new PeerProtocolException("A change set names an attribute twice or with an empty name.");
            }
        }

        if ((isNew && (idle <= TimeSpan.Zero || newId is not null)) || (newId is not null && (newId.Length == 0 || newId == id)))
        {
            throw new PeerProtocolException("An inconsistent change set (a create without an idle timeout, or a bad rename).");
        }

        return new SessionChangeSet
        {
            SessionId = id,
            IsNew = isNew,
            Now = now,
            IdleTimeout = idle,
            AbsoluteExpiry = absolute,
            Touch = touch,
            ClearAttributes = clear,
            SetsPrincipal = setsPrincipal,
            Principal = principal,
            NewSessionId = newId,
            RotationGrace = grace,
            Attributes = attributes,
        };
    }

    public static void CommitResult(PeerWriter writer, CommitResult result)
    {
        writer.Byte((byte)result.Status);
        writer.Int32(result.NewVersions.Count);
        foreach (var (name, version) in result.NewVersions)
        {
            writer.String(name);
            writer.Int64(version);
        }

        OptionalAttributes(writer, result.Conflicts);
        OptionalAttributes(writer, result.OperationResults);
    }

    private static void OptionalAttributes(PeerWriter writer, IReadOnlyDictionary<string, SessionAttribute?> attributes)
    {
        writer.Int32(attributes.Count);
        foreach (var (name, attribute) in attributes)
        {
            writer.String(name);
            writer.Bool(attribute is not null);
            if (attribute is { } present)
            {
                writer.Int64(present.Version);
                writer.Bytes(present.Value.Span);
            }
        }
    }

    private static Dictionary<string, SessionAttribute?> OptionalAttributes(ref PeerReader reader, int maxValueBytes)
    {
        var count = reader.Count(MaxCount, "attribute count");
        var attributes = new Dictionary<string, SessionAttribute?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.String(MaxNameBytes, "attribute name");
            attributes[name] = reader.Bool() ? new SessionAttribute(BytesAfterVersion(ref reader, maxValueBytes, out var version), version) : null;
        }

        return attributes;
    }

    public static CommitResult CommitResult(ref PeerReader reader, int maxValueBytes)
    {
        var status = (CommitStatus)reader.Byte();
        if (!Enum.IsDefined(status))
        {
            throw new PeerProtocolException($"Unknown commit status {(int)status}.");
        }

        var versionCount = reader.Count(MaxCount, "new version count");
        var versions = new Dictionary<string, long>(versionCount, StringComparer.Ordinal);
        for (var i = 0; i < versionCount; i++)
        {
            versions[reader.String(MaxNameBytes, "attribute name")] = reader.Int64();
        }

        var conflicts = OptionalAttributes(ref reader, maxValueBytes);
        var operations = OptionalAttributes(ref reader, maxValueBytes);
        return status switch
        {
            CommitStatus.Committed => Stickless.CommitResult.Committed(versions, operations),
            CommitStatus.Conflict => Stickless.CommitResult.Conflict(conflicts),
            CommitStatus.NotFound => Stickless.CommitResult.NotFound,
            _ => Stickless.CommitResult.AlreadyExists,
        };
    }

    private static byte[] BytesAfterVersion(ref PeerReader reader, int maxValueBytes, out long version)
    {
        version = reader.Int64();
        return reader.Bytes(maxValueBytes, "conflicting value");
    }
}
