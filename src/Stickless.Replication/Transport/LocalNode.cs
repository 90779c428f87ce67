using System.Security.Cryptography;

namespace Stickless.Replication.Transport;

/// <summary>This process as the cluster knows it: its stable node id and the incarnation drawn at start.</summary>
internal sealed class LocalNode
{
    public LocalNode(string nodeId, ulong? incarnation = null)
    {
        NodeId = nodeId;
        Incarnation = incarnation ?? NewIncarnation();
    }

    /// <summary>The configured node id.</summary>
    public string NodeId { get; }

    /// <summary>A random non-zero 64-bit value fixed for the life of this process: a restart is a new member.</summary>
    public ulong Incarnation { get; }

    private static ulong NewIncarnation()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BitConverter.ToUInt64(bytes);
        }
        while (value == 0);
        return value;
    }
}
