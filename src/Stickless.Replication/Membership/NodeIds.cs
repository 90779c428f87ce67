namespace Stickless.Replication.Membership;

/// <summary>Rules for node ids: short, printable, safe in a cookie and a log line.</summary>
internal static class NodeIds
{
    /// <summary>The longest node id.</summary>
    public const int MaxLength = 64;

    /// <summary>The most nodes a cluster may list (placement and probes are all-pairs).</summary>
    public const int MaxPeers = 32;

    /// <summary>True when <paramref name="candidate"/> is 1 to <see cref="MaxLength"/> characters of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
