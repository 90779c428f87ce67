namespace Stickless.Replication.Transport;

/// <summary>
/// Refuses a request sequence number seen before from one sender incarnation: a sliding window of the last
/// <see cref="Size"/> numbers (as IPsec's anti-replay window), so requests multiplexed on one connection may
/// arrive out of order but never twice. Thread-safe.
/// </summary>
internal sealed class ReplayWindow
{
    /// <summary>How far behind the highest number seen a request may still arrive.</summary>
    public const int Size = 4096;

    private readonly Lock _gate = new();
    private readonly ulong[] _bits = new ulong[Size / 64];
    private ulong _highest;

    /// <summary>True (and remembered) the first time <paramref name="sequence"/> is seen; false for a repeat or one too old.</summary>
    public bool TryAccept(ulong sequence)
    {
        if (sequence == 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (sequence > _highest)
            {
                var shift = sequence - _highest;
                if (shift >= Size)
                {
                    Array.Clear(_bits);
                }
                else
                {
                    for (var n = _highest + 1; n < sequence; n++)
                    {
                        Clear(n);
                    }
                }

                _highest = sequence;
                Set(sequence);
                return true;
            }

            if (_highest - sequence >= Size || IsSet(sequence))
            {
                return false;
            }

            Set(sequence);
            return true;
        }
    }

    private void Set(ulong n) => _bits[(int)(n % Size / 64)] |= 1UL << (int)(n % 64);

    private void Clear(ulong n) => _bits[(int)(n % Size / 64)] &= ~(1UL << (int)(n % 64));

    private bool IsSet(ulong n) => (_bits[(int)(n % Size / 64)] & (1UL << (int)(n % 64))) != 0;
}
