using System.Globalization;

namespace Stickless.Memcached.Protocol;

/// <summary>
/// Writes meta-protocol requests into a span. Every request is validated before a byte is written: a key
/// memcached would refuse, or a time to live it would misread, throws <see cref="ArgumentException"/>,
/// because some of those refusals come back before memcached has read the request's data block and would
/// desynchronize the connection. The <c>Try*</c> methods answer false, writing nothing useful, when the
/// destination is too small, and never allocate.
/// </summary>
internal static class MetaRequestWriter
{
    /// <summary>memcached's key limit (<c>KEY_MAX_LENGTH</c>).</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The largest relative time to live: 30 days; memcached reads anything larger as a Unix time.</summary>
    public const int MaxTtlSeconds = 60 * 60 * 24 * 30;

    /// <summary>The most bytes a request line can take besides its key (command, length, flags, opaque, CRLF).</summary>
    public const int MaxLineOverhead = 128;

    /// <summary>The space a request for <paramref name="keyLength"/> and <paramref name="valueLength"/> needs at most.</summary>
    public static int MaxRequestLength(int keyLength, int valueLength) => keyLength + MaxLineOverhead + valueLength + 2;

    /// <summary>True when memcached accepts <paramref name="key"/> as is: 1 to 250 bytes of printable ASCII without spaces.</summary>
    public static bool IsValidKey(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty || key.Length > MaxKeyLength)
        {
            return false;
        }

        foreach (var b in key)
        {
            if (b is <= 0x20 or >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes <c>mg &lt;key&gt; [T&lt;ttl&gt;] [v] [c] [f] [t] [u] O&lt;opaque&gt;</c>.</summary>
    /// <remarks>A <c>touchTtlSeconds</c> above 0 also touches the item to that time to live; it is written before <c>t</c>, so <c>t</c> reports the new one.</remarks>
    public static bool TryWriteGet(Span<byte> destination, ReadOnlySpan<byte> key, MetaGetFlags flags, int touchTtlSeconds, uint opaque, out int written)
    {
        ValidateKey(key);
        if (touchTtlSeconds != 0)
        {
            ValidateTtl(touchTtlSeconds);
        }

        var w = new SpanCursor(destination);
        w.Write("mg "u8);
        w.Write(key);
        if (touchTtlSeconds != 0)
        {
            w.Write(" T"u8);
            w.WriteNumber((ulong)touchTtlSeconds);
        }

        if ((flags & MetaGetFlags.Value) != 0) { w.Write(" v"u8); }
        if ((flags & MetaGetFlags.Cas) != 0) { w.Write(" c"u8); }
        if ((flags & MetaGetFlags.ClientFlags) != 0) { w.Write(" f"u8); }
        if ((flags & MetaGetFlags.Ttl) != 0) { w.Write(" t"u8); }
        if ((flags & MetaGetFlags.NoLruBump) != 0) { w.Write(" u"u8); }
        WriteOpaqueAndEnd(ref w, opaque);
        written = w.Position;
        return w.Ok;
    }

    /// <summary>Writes <c>ms &lt;key&gt; &lt;length&gt; T&lt;ttl&gt; [F] [C] [c] M&lt;mode&gt; O&lt;opaque&gt;</c>, then the value and CRLF.</summary>
    public static bool TryWriteSet(Span<byte> destination, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, in MetaSetOptions options, uint opaque, out int written)
    {
        ValidateKey(key);
        ValidateTtl(options.TtlSeconds);
        var w = new SpanCursor(destination);
        w.Write("ms "u8);
        w.Write(key);
        w.Write(" "u8);
        w.WriteNumber((ulong)value.Length);
        w.Write(" T"u8);
        w.WriteNumber((ulong)options.TtlSeconds);
        if (options.ClientFlags != 0)
        {
            w.Write(" F"u8);
            w.WriteNumber(options.ClientFlags);
        }

        if (options.Cas != 0)
        {
            w.Write(" C"u8);
            w.WriteNumber(options.Cas);
        }

        if (options.ReturnCas)
        {
            w.Write(" c"u8);
        }

        w.Write(options.Mode switch
        {
            MetaSetMode.Set => " MS"u8,
            MetaSetMode.Add => " ME"u8,
            MetaSetMode.Replace => " MR"u8,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown set mode."),
        });
        WriteOpaqueAndEnd(ref w, opaque);
        w.Write(value);
        w.Write("\r\n"u8);
        written = w.Position;
        return w.Ok;
    }

    /// <summary>Writes <c>md &lt;key&gt; [C&lt;cas&gt;] O&lt;opaque&gt;</c>.</summary>
    public static bool TryWriteDelete(Span<byte> destination, ReadOnlySpan<byte> key, ulong cas, uint opaque, out int written)
    {
        ValidateKey(key);
        var w = new SpanCursor(destination);
        w.Write("md "u8);
        w.Write(key);
        if (cas != 0)
        {
            w.Write(" C"u8);
            w.WriteNumber(cas);
        }

        WriteOpaqueAndEnd(ref w, opaque);
        written = w.Position;
        return w.Ok;
    }

    /// <summary>Writes a command without arguments or flags (<c>mn</c>, <c>version</c>, <c>stats</c>, <c>stats settings</c>, <c>flush_all</c>).</summary>
    public static bool TryWriteCommand(Span<byte> destination, ReadOnlySpan<byte> commandLine, out int written)
    {
        var w = new SpanCursor(destination);
        w.Write(commandLine);
        w.Write("\r\n"u8);
        written = w.Position;
        return w.Ok;
    }

    private static void WriteOpaqueAndEnd(ref SpanCursor w, uint opaque)
    {
        w.Write(" O"u8);
        w.WriteNumber(opaque);
        w.Write("\r\n"u8);
    }

    private static void ValidateKey(ReadOnlySpan<byte> key)
    {
        if (!IsValidKey(key))
        {
            throw new ArgumentException($"A memcached key must be 1 to {MaxKeyLength} bytes of printable ASCII without spaces (was {key.Length} bytes).", nameof(key));
        }
    }

    private static void ValidateTtl(int ttlSeconds)
    {
        if (ttlSeconds is < 1 or > MaxTtlSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(ttlSeconds), ttlSeconds, $"A time to live must be 1 to {MaxTtlSeconds} seconds.");
        }
    }

    /// <summary>Appends to a span, remembering whether everything fit.</summary>
    private ref struct SpanCursor(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public bool Ok { get; private set; } = true;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (Ok && bytes.TryCopyTo(_destination[Position..]))
            {
                Position += bytes.Length;
            }
            else
            {
                Ok = false;
            }
        }

        public void WriteNumber(ulong value)
        {
            if (Ok && value.TryFormat(_destination[Position..], out var n, default, CultureInfo.InvariantCulture))
            {
                Position += n;
            }
            else
            {
                Ok = false;
            }
        }
    }
}
