using System.Buffers;

namespace Stickless.Redis.Resp;

/// <summary>
/// Reads RESP2 and RESP3 replies from a buffer that may hold less than a whole reply.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TryRead"/> first scans the reply without allocating, to learn whether it is complete and well
/// formed; only then does it build the <see cref="RespValue"/>. So an untrusted length never sizes an
/// allocation: arrays are allocated for elements that are already in the buffer, bulk strings for bytes that
/// have already arrived. Malformed input throws <see cref="RespProtocolException"/> with what is wrong.
/// </para>
/// <para>
/// Attributes (<c>|</c>) are read and dropped; the value they annotate is returned. Streamed strings and
/// aggregates (<c>$?</c>, <c>*?</c>) are rejected: Redis does not send them.
/// </para>
/// </remarks>
public ref partial struct RespReader
{
    private SequenceReader<byte> _reader;
    private readonly RespReaderOptions _options;

    /// <summary>Creates a reader over <paramref name="buffer"/> with <paramref name="options"/> (or the defaults).</summary>
    public RespReader(ReadOnlySequence<byte> buffer, RespReaderOptions? options = null)
    {
        _reader = new SequenceReader<byte>(buffer);
        _options = options ?? RespReaderOptions.Default;
    }

    /// <summary>The position after the last complete reply read.</summary>
    public readonly SequencePosition Position => _reader.Position;

    /// <summary>The bytes consumed by the complete replies read so far.</summary>
    public readonly long Consumed => _reader.Consumed;

    /// <summary>The bytes not yet consumed.</summary>
    public readonly long Remaining => _reader.Remaining;

    /// <summary>
    /// Reads the next complete reply. Returns <see langword="false"/> (and consumes nothing) when the buffer
    /// ends before the reply does.
    /// </summary>
    /// <exception cref="RespProtocolException">The data is not valid RESP, or breaks a limit of <see cref="RespReaderOptions"/>.</exception>
    public bool TryRead(out RespValue value)
    {
        var probe = _reader;
        if (!TryReadValue(ref probe, 0, materialize: false, out _))
        {
            if (_reader.Remaining > _options.MaxReplyBytes)
            {
                throw new RespProtocolException($"An incomplete reply already occupies {_reader.Remaining} bytes, more than the limit of {_options.MaxReplyBytes}.");
            }
            value = default;
            return false;
        }
        TryReadValue(ref _reader, 0, materialize: true, out value);
        return true;
    }

    /// <summary>Skips the next complete reply without building it. Returns <see langword="false"/> when it is incomplete.</summary>
    /// <exception cref="RespProtocolException">The data is not valid RESP.</exception>
    public bool TrySkip()
    {
        var probe = _reader;
        if (!TryReadValue(ref probe, 0, materialize: false, out _)) { return false; }
        _reader = probe;
        return true;
    }

    private readonly bool TryReadValue(ref SequenceReader<byte> reader, int depth, bool materialize, out RespValue value)
    {
        value = default;
        if (!reader.TryRead(out var type)) { return false; }
        switch (type)
        {
            case (byte)'+': return TryReadSimpleString(ref reader, materialize, out value);
            case (byte)'-': return TryReadSimpleError(ref reader, materialize, out value);
            case (byte)':': return TryReadInteger(ref reader, materialize, out value);
            case (byte)'_': return TryReadNull(ref reader, out value);
            case (byte)'#': return TryReadBoolean(ref reader, out value);
            case (byte)',': return TryReadDouble(ref reader, out value);
            case (byte)'(': return TryReadBigNumber(ref reader, materialize, out value);
            case (byte)'$': return TryReadBlob(ref reader, RespType.BulkString, materialize, out value);
            case (byte)'!': return TryReadBlob(ref reader, RespType.BulkError, materialize, out value);
            case (byte)'=': return TryReadBlob(ref reader, RespType.VerbatimString, materialize, out value);
            case (byte)'*': return TryReadAggregate(ref reader, RespType.Array, depth, materialize, out value);
            case (byte)'%': return TryReadAggregate(ref reader, RespType.Map, depth, materialize, out value);
            case (byte)'~': return TryReadAggregate(ref reader, RespType.Set, depth, materialize, out value);
            case (byte)'>': return TryReadAggregate(ref reader, RespType.Push, depth, materialize, out value);
            case (byte)'|':
                // An attribute annotates the value after it; we have no use for the annotation.
                if (!TryReadAggregate(ref reader, RespType.Map, depth, materialize: false, out _)) { return false; }
                return TryReadValue(ref reader, depth, materialize, out value);
            default:
                throw new RespProtocolException($"Unknown RESP type byte 0x{type:X2} ('{(type is >= 0x20 and < 0x7F ? (char)type : '?')}').");
        }
    }

    private readonly bool TryReadBlob(ref SequenceReader<byte> reader, RespType type, bool materialize, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var header)) { return false; }
        var length = ParseLength(header, type, allowNull: type == RespType.BulkString);
        if (length < 0)
        {
            value = RespValue.FromBulkString((byte[]?)null);
            return true;
        }
        if (length > _options.MaxBulkLength)
        {
            throw new RespProtocolException($"A {type} of {length} bytes exceeds the limit of {_options.MaxBulkLength}.");
        }
        if (reader.Remaining < length + 2) { return false; }

        var unread = reader.UnreadSpan;
        if (unread.Length >= length + 2)
        {
            // The payload and its CRLF are in the current segment (the usual case): work on the span.
            var bytes = unread[..(int)length];
            CheckBlob(type, length, bytes.Length >= 4 ? bytes[3] : (byte)0, unread[(int)length] == (byte)'\r' && unread[(int)length + 1] == (byte)'\n');
            reader.Advance(length + 2);
            if (materialize)
            {
                value = type switch
                {
                    RespType.BulkString => RespValue.FromBulkString(bytes.ToArray()),
                    RespType.BulkError => RespValue.FromError(DecodeUtf8(bytes), bulk: true),
                    _ => RespValue.FromVerbatimString(bytes[4..].ToArray()),
                };
            }
            return true;
        }

        var payload = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        CheckBlob(type, length, length >= 4 ? payload.Slice(3, 1).FirstSpan[0] : (byte)0, reader.IsNext("\r\n"u8, advancePast: true));
        if (materialize)
        {
            value = type switch
            {
                RespType.BulkString => RespValue.FromBulkString(payload.ToArray()),
                RespType.BulkError => RespValue.FromError(DecodeUtf8(payload), bulk: true),
                _ => RespValue.FromVerbatimString(payload.Slice(4).ToArray()),
            };
        }
        return true;
    }

    private static void CheckBlob(RespType type, long length, byte fourthByte, bool endsWithCrlf)
    {
        if (type == RespType.VerbatimString && (length < 4 || fourthByte != (byte)':'))
        {
            throw new RespProtocolException("A verbatim string does not start with a three-letter format and ':'.");
        }
        if (!endsWithCrlf)
        {
            throw new RespProtocolException($"A {type} of {length} bytes is not followed by CRLF (wrong length or missing terminator).");
        }
    }

    private readonly bool TryReadAggregate(ref SequenceReader<byte> reader, RespType type, int depth, bool materialize, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var header)) { return false; }
        var length = ParseLength(header, type, allowNull: type == RespType.Array);
        if (length < 0)
        {
            value = RespValue.FromAggregate(type, null);
            return true;
        }
        if (length > _options.MaxAggregateLength)
        {
            throw new RespProtocolException($"A {type} of {length} elements exceeds the limit of {_options.MaxAggregateLength}.");
        }
        if (depth + 1 > _options.MaxDepth)
        {
            throw new RespProtocolException($"Aggregates are nested deeper than the limit of {_options.MaxDepth}.");
        }
        var count = (int)(type == RespType.Map ? length * 2 : length);

        // Every element takes at least three bytes ("_\r\n"); fewer bytes than that cannot be complete.
        if (reader.Remaining < 3L * count) { return false; }

        var items = materialize ? (count == 0 ? [] : new RespValue[count]) : null;
        for (var i = 0; i < count; i++)
        {
            if (!TryReadValue(ref reader, depth + 1, materialize, out var item)) { return false; }
            if (items is not null) { items[i] = item; }
        }
        if (materialize) { value = RespValue.FromAggregate(type, items); }
        return true;
    }
}
