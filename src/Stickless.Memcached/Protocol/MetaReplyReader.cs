using System.Buffers;

namespace Stickless.Memcached.Protocol;

/// <summary>
/// Reads memcached replies from a buffer that may hold part of a reply, one or many. A reply is consumed
/// only when it is whole; <see cref="TryRead"/> answers false (consuming nothing) when more bytes are needed,
/// and throws <see cref="MetaProtocolException"/> when the bytes cannot be a valid reply. It never allocates:
/// lines are parsed on the stack and values are slices of the buffer.
/// </summary>
internal ref struct MetaReplyReader
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private readonly MetaReaderLimits _limits;
    private SequenceReader<byte> _reader;

    public MetaReplyReader(ReadOnlySequence<byte> buffer, MetaReaderLimits limits)
    {
        _reader = new SequenceReader<byte>(buffer);
        _limits = limits;
    }

    /// <summary>Where the last whole reply ended: everything before it can be released.</summary>
    public readonly SequencePosition Position => _reader.Position;

    /// <summary>How many bytes whole replies took so far.</summary>
    public readonly long Consumed => _reader.Consumed;

    /// <summary>Reads the next reply, expected to have <paramref name="shape"/>.</summary>
    /// <returns>False when the buffer ends before the reply does.</returns>
    /// <exception cref="MetaProtocolException">The bytes are not a valid reply of that shape.</exception>
    public bool TryRead(MetaReplyShape shape, out MetaReply reply)
    {
        var start = _reader;
        if (!TryReadLine(out var lineSequence))
        {
            reply = default;
            return false;
        }

        Span<byte> line = stackalloc byte[(int)lineSequence.Length];
        lineSequence.CopyTo(line);
        if (TryParseErrorLine(line, lineSequence, out reply))
        {
            return true;
        }

        var complete = shape switch
        {
            MetaReplyShape.Meta => TryReadMeta(line, out reply),
            MetaReplyShape.Stats => TryReadStats(line, lineSequence, out reply),
            MetaReplyShape.Version => ReadVersion(line, lineSequence, out reply),
            MetaReplyShape.Ok => ReadOk(line, out reply),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
        if (!complete)
        {
            _reader = start;
        }

        return complete;
    }

    /// <summary>Reads one line without its CRLF; false when it has not fully arrived.</summary>
    private bool TryReadLine(out ReadOnlySequence<byte> line)
    {
        if (!_reader.TryReadTo(out ReadOnlySequence<byte> withCr, (byte)'\n', advancePastDelimiter: true))
        {
            if (_reader.Remaining >= _limits.MaxLineLength)
            {
                throw new MetaProtocolException($"A reply line is longer than {_limits.MaxLineLength} bytes without an end.");
            }

            line = default;
            return false;
        }

        if (withCr.Length + 1 > _limits.MaxLineLength)
        {
            throw new MetaProtocolException($"A reply line is longer than {_limits.MaxLineLength} bytes.");
        }

        if (withCr.IsEmpty || LastByte(withCr) != (byte)'\r')
        {
            throw new MetaProtocolException("A reply line does not end with CRLF.");
        }

        line = withCr.Slice(0, withCr.Length - 1);
        return true;
    }

    private static byte LastByte(ReadOnlySequence<byte> sequence)
    {
        var last = sequence.Slice(sequence.Length - 1);
        return last.FirstSpan[0];
    }

    private static bool TryParseErrorLine(ReadOnlySpan<byte> line, ReadOnlySequence<byte> lineSequence, out MetaReply reply)
    {
        if (line.SequenceEqual("ERROR"u8))
        {
            reply = new MetaReply { Status = MetaStatus.Error };
            return true;
        }

        if (line.StartsWith("CLIENT_ERROR"u8))
        {
            reply = new MetaReply { Status = MetaStatus.ClientError, Data = MessageAfter(lineSequence, "CLIENT_ERROR"u8.Length) };
            return true;
        }

        if (line.StartsWith("SERVER_ERROR"u8))
        {
            reply = new MetaReply { Status = MetaStatus.ServerError, Data = MessageAfter(lineSequence, "SERVER_ERROR"u8.Length) };
            return true;
        }

        reply = default;
        return false;
    }

    private static ReadOnlySequence<byte> MessageAfter(ReadOnlySequence<byte> line, int prefix) =>
        line.Length > prefix + 1 ? line.Slice(prefix + 1) : ReadOnlySequence<byte>.Empty;

    private bool TryReadMeta(scoped ReadOnlySpan<byte> line, out MetaReply reply)
    {
        if (line.Length < 2 || (line.Length > 2 && line[2] != (byte)' '))
        {
            throw new MetaProtocolException($"Unexpected reply line '{Printable(line)}' where a meta reply was expected.");
        }

        var status = (line[0], line[1]) switch
        {
            ((byte)'V', (byte)'A') => MetaStatus.Value,
            ((byte)'H', (byte)'D') => MetaStatus.Header,
            ((byte)'E', (byte)'N') => MetaStatus.Miss,
            ((byte)'N', (byte)'S') => MetaStatus.NotStored,
            ((byte)'E', (byte)'X') => MetaStatus.Exists,
            ((byte)'N', (byte)'F') => MetaStatus.NotFound,
            ((byte)'M', (byte)'N') => MetaStatus.NoOp,
            _ => throw new MetaProtocolException($"Unknown meta reply '{Printable(line)}'."),
        };

        var rest = line.Length > 3 ? line[3..] : [];
        if (line.Length == 3)
        {
            throw new MetaProtocolException("A meta reply ends with a space.");
        }

        var valueLength = -1;
        if (status == MetaStatus.Value)
        {
            var space = rest.IndexOf((byte)' ');
            var lengthToken = space < 0 ? rest : rest[..space];
            if (!TryParseUInt64(lengthToken, out var declared))
            {
                throw new MetaProtocolException($"The length of a VA reply is not a number: '{Printable(lengthToken)}'.");
            }

            if (declared > (ulong)_limits.MaxValueLength)
            {
                throw new MetaProtocolException($"A VA reply declares {declared} bytes, more than the {_limits.MaxValueLength} allowed.");
            }

            valueLength = (int)declared;
            rest = space < 0 ? [] : rest[(space + 1)..];
            if (space >= 0 && rest.IsEmpty)
            {
                throw new MetaProtocolException("A meta reply ends with a space.");
            }
        }
        else if (status == MetaStatus.NoOp && !rest.IsEmpty)
        {
            throw new MetaProtocolException("MN carries no flags.");
        }

        reply = ParseFlags(status, rest);
        if (valueLength < 0)
        {
            return true;
        }

        if (_reader.Remaining < valueLength + 2)
        {
            return false;
        }

        var data = _reader.UnreadSequence.Slice(0, valueLength);
        _reader.Advance(valueLength);
        if (!_reader.IsNext(Crlf, advancePast: true))
        {
            throw new MetaProtocolException($"A VA value of {valueLength} bytes is not followed by CRLF.");
        }

        reply = reply with { Data = data };
        return true;
    }

    private static MetaReply ParseFlags(MetaStatus status, ReadOnlySpan<byte> flags)
    {
        ulong? cas = null;
        uint? clientFlags = null;
        int? ttl = null;
        uint? opaque = null;
        var marks = MetaReplyMarks.None;
        while (!flags.IsEmpty)
        {
            var space = flags.IndexOf((byte)' ');
            var token = space < 0 ? flags : flags[..space];
            flags = space < 0 ? [] : flags[(space + 1)..];
            if (token.IsEmpty || (space >= 0 && flags.IsEmpty))
            {
                throw new MetaProtocolException("A meta reply has an empty flag (two spaces, or a trailing space).");
            }

            var letter = token[0];
            var value = token[1..];
            switch (letter)
            {
                case (byte)'c':
                    cas = TryParseUInt64(value, out var c) ? c : throw BadFlag(token);
                    break;
                case (byte)'f':
                    clientFlags = TryParseUInt64(value, out var f) && f <= uint.MaxValue ? (uint)f : throw BadFlag(token);
                    break;
                case (byte)'t':
                    ttl = value.SequenceEqual("-1"u8) ? -1 : TryParseUInt64(value, out var t) && t <= int.MaxValue ? (int)t : throw BadFlag(token);
                    break;
                case (byte)'O':
                    // The store only ever sends decimal opaques: anything else was not meant for this request.
                    opaque = TryParseUInt64(value, out var o) && o <= uint.MaxValue ? (uint)o : throw BadFlag(token);
                    break;
                case (byte)'W':
                    marks |= MetaReplyMarks.Won;
                    break;
                case (byte)'X':
                    marks |= MetaReplyMarks.Stale;
                    break;
                case (byte)'Z':
                    marks |= MetaReplyMarks.AlreadyWon;
                    break;
                default:
                    if (!char.IsAsciiLetter((char)letter))
                    {
                        throw BadFlag(token);
                    }

                    // Other flags (k, s, l, h, b…) are echoed only when asked for; the store does not ask.
                    break;
            }
        }

        return new MetaReply { Status = status, Cas = cas, ClientFlags = clientFlags, Ttl = ttl, Opaque = opaque, Marks = marks };
    }

    private static MetaProtocolException BadFlag(ReadOnlySpan<byte> token) =>
        new($"Malformed return flag '{Printable(token)}'.");

    private bool TryReadStats(scoped ReadOnlySpan<byte> firstLine, ReadOnlySequence<byte> firstSequence, out MetaReply reply)
    {
        var blockStart = firstSequence.Start;
        var lineSequence = firstSequence;
        var isEnd = firstLine.SequenceEqual("END"u8);
        var isStat = firstLine.StartsWith("STAT "u8);
        while (true)
        {
            if (isEnd)
            {
                var block = _reader.Sequence.Slice(blockStart, lineSequence.Start);
                reply = new MetaReply { Status = MetaStatus.Stats, Data = block };
                return true;
            }

            if (!isStat)
            {
                throw new MetaProtocolException("Unexpected line in a stats reply (neither STAT nor END).");
            }

            if (_reader.Sequence.Slice(blockStart, _reader.Position).Length > _limits.MaxStatsLength)
            {
                throw new MetaProtocolException($"A stats reply is longer than {_limits.MaxStatsLength} bytes.");
            }

            if (!TryReadLine(out lineSequence))
            {
                reply = default;
                return false;
            }

            var next = new SequenceReader<byte>(lineSequence);
            isEnd = lineSequence.Length == 3 && next.IsNext("END"u8);
            isStat = next.IsNext("STAT "u8);
        }
    }

    private static bool ReadVersion(ReadOnlySpan<byte> line, ReadOnlySequence<byte> lineSequence, out MetaReply reply)
    {
        if (!line.StartsWith("VERSION "u8) || line.Length == "VERSION "u8.Length)
        {
            throw new MetaProtocolException($"Unexpected reply '{Printable(line)}' to version.");
        }

        reply = new MetaReply { Status = MetaStatus.Version, Data = lineSequence.Slice("VERSION "u8.Length) };
        return true;
    }

    private static bool ReadOk(ReadOnlySpan<byte> line, out MetaReply reply)
    {
        if (!line.SequenceEqual("OK"u8))
        {
            throw new MetaProtocolException($"Unexpected reply '{Printable(line)}' where OK was expected.");
        }

        reply = new MetaReply { Status = MetaStatus.Ok };
        return true;
    }

    /// <summary>Parses unsigned decimal digits only (no sign, no spaces), refusing overflow.</summary>
    internal static bool TryParseUInt64(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 20)
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            var next = (value * 10) + (ulong)(b - '0');
            if (value > ulong.MaxValue / 10 || next < value * 10)
            {
                return false;
            }

            value = next;
        }

        return true;
    }

    /// <summary>A short printable form of wire bytes for error messages (never the whole of a hostile line).</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var shown = bytes.Length > 64 ? bytes[..64] : bytes;
        var chars = new char[shown.Length];
        for (var i = 0; i < shown.Length; i++)
        {
            chars[i] = shown[i] is >= 0x20 and < 0x7F ? (char)shown[i] : '?';
        }

        return bytes.Length > 64 ? new string(chars) + "…" : new string(chars);
    }
}
