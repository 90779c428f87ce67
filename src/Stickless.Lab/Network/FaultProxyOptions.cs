using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stickless.Lab.Network;

/// <summary>
/// How a <see cref="FaultProxy"/> bounds itself. Its memory never exceeds
/// <see cref="MaxConnections"/> × 2 × (<see cref="MaxBufferedBytesPerDirection"/> + <see cref="ReadChunkBytes"/>):
/// when a direction's buffer is full the proxy stops reading, and the sender's TCP window closes.
/// </summary>
internal sealed class FaultProxyOptions
{
    /// <summary>Open connections at most; beyond, new ones are reset. Default 64.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Bytes read but not yet written, per connection and direction (the delay line). Default 1 MiB.</summary>
    public int MaxBufferedBytesPerDirection { get; init; } = 1024 * 1024;

    /// <summary>The largest single read. Default 16 KiB.</summary>
    public int ReadChunkBytes { get; init; } = 16 * 1024;

    /// <summary>How long connecting to the upstream may take before the client is reset. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock of delays and pacing. Default the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The seed of jitter, drops and resets; null (default) for a random one.</summary>
    public int? Seed { get; init; }

    /// <summary>Where the proxy logs (event ids 6000–6099). Default none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Every invalid setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConnections is < 1 or > 100_000)
        {
            errors.Add($"{nameof(MaxConnections)} must be between 1 and 100000 (was {MaxConnections}).");
        }

        if (MaxBufferedBytesPerDirection < 1024)
        {
            errors.Add($"{nameof(MaxBufferedBytesPerDirection)} must be at least 1024 (was {MaxBufferedBytesPerDirection}).");
        }

        if (ReadChunkBytes is < 256 or > 1024 * 1024)
        {
            errors.Add($"{nameof(ReadChunkBytes)} must be between 256 and 1 MiB (was {ReadChunkBytes}).");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(ConnectTimeout)} must be positive (was {ConnectTimeout}).");
        }

        return errors;
    }
}
