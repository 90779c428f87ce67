using System.Globalization;

namespace Stickless.Lab.Network;

/// <summary>
/// The faults on one direction of a link (<see cref="LinkFaults"/>). Immutable: a fault proxy swaps the whole set at
/// once, and bytes read after the swap follow the new one. <see cref="None"/> (the default) forwards bytes as they come.
/// </summary>
internal sealed record DirectionFaults
{
    /// <summary>Nothing added: bytes pass as fast as both sides take them.</summary>
    public static DirectionFaults None { get; } = new();

    /// <summary>
    /// Added one-way delay: a chunk read at t is written at t + latency (± jitter). Order is kept, as TCP keeps it,
    /// so a late chunk holds back the ones behind it. Chunks already waiting follow a changed latency. Default zero.
    /// </summary>
    public TimeSpan Latency { get; init; }

    /// <summary>A uniform random spread added to <see cref="Latency"/>, in [-jitter, +jitter] (never below zero). Default zero.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>A bandwidth cap in bytes per second (paced, no burst beyond 50 ms of it); null (default) for none.</summary>
    public long? BytesPerSecond { get; init; }

    /// <summary>
    /// A one-way partition: nothing passes, and nothing is lost. The proxy stops reading, so bytes wait in the sender's
    /// socket buffers (and the few already read, in the proxy's) and flow again when the partition heals, as TCP's
    /// retransmissions would deliver them. Default false.
    /// </summary>
    public bool Blocked { get; init; }

    /// <summary>
    /// Bytes vanish: every byte read is thrown away and the sender is none the wiser (the proxy acknowledged it). No TCP
    /// path does this (TCP retransmits what a network drops); a faulty middlebox does, and it tests a client's framing:
    /// a reply stream with commands missing. End of stream is not thrown away: it waits until the direction forwards
    /// again. For a black hole as networks make them, see <see cref="LinkFaults.Blackhole"/>. Default false.
    /// </summary>
    public bool Discard { get; init; }

    /// <summary>The chance (0 to 1) that a chunk read is dropped, with <see cref="DropMode"/> deciding how. Default 0.</summary>
    public double DropProbability { get; init; }

    /// <summary>What a drop does: close the connection (default) or discard the chunk.</summary>
    public DropMode DropMode { get; init; } = DropMode.Close;

    /// <summary>The chance (0 to 1) that a chunk read resets its connection (RST to both sides) instead of passing. Default 0.</summary>
    public double ResetProbability { get; init; }

    /// <summary>True when bytes may be forwarded now (neither blocked nor discarded).</summary>
    public bool Passes => !Blocked && !Discard;

    /// <summary>Every invalid setting, each naming <paramref name="direction"/>.</summary>
    public IReadOnlyList<string> Validate(ProxyDirection direction)
    {
        var errors = new List<string>();
        if (Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{direction}: latency must be between 0 and 10 minutes (was {Latency}).");
        }

        if (Jitter < TimeSpan.Zero || Jitter > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{direction}: jitter must be between 0 and 10 minutes (was {Jitter}).");
        }

        if (BytesPerSecond is <= 0)
        {
            errors.Add($"{direction}: a bandwidth cap must be positive (was {BytesPerSecond}).");
        }

        if (DropProbability is < 0 or > 1 || double.IsNaN(DropProbability))
        {
            errors.Add($"{direction}: the drop probability must be between 0 and 1 (was {DropProbability}).");
        }

        if (ResetProbability is < 0 or > 1 || double.IsNaN(ResetProbability))
        {
            errors.Add($"{direction}: the reset probability must be between 0 and 1 (was {ResetProbability}).");
        }

        return errors;
    }

    /// <summary>One line for logs and reports: <c>latency 500 ms ± 50 ms, 64000 B/s</c>, or <c>none</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Discard)
        {
            parts.Add("discarding");
        }

        if (Blocked)
        {
            parts.Add("blocked");
        }

        if (Latency > TimeSpan.Zero || Jitter > TimeSpan.Zero)
        {
            parts.Add(Jitter > TimeSpan.Zero
                ? string.Create(CultureInfo.InvariantCulture, $"latency {Latency.TotalMilliseconds:0.#} ms ± {Jitter.TotalMilliseconds:0.#} ms")
                : string.Create(CultureInfo.InvariantCulture, $"latency {Latency.TotalMilliseconds:0.#} ms"));
        }

        if (BytesPerSecond is { } rate)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rate} B/s"));
        }

        if (DropProbability > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"drop {DropProbability:0.###} ({DropMode.ToString().ToLowerInvariant()})"));
        }

        if (ResetProbability > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"reset {ResetProbability:0.###}"));
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
