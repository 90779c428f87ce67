using System.Globalization;

namespace Stickless.Lab.Deployment.Redis;

/// <summary>One line of <c>CLUSTER NODES</c>: <c>id ip:port@cport flags master ping pong epoch link slot…</c>.</summary>
/// <param name="Id">The node id.</param>
/// <param name="Port">Its client port.</param>
/// <param name="Flags">Its flags (<c>myself</c>, <c>master</c>, <c>slave</c>, <c>fail?</c>, <c>fail</c>, …).</param>
/// <param name="MasterId">The master it replicates, or <c>-</c>.</param>
/// <param name="Slots">Its slot ranges (<c>0-5460</c>), empty for a replica.</param>
internal sealed record ClusterNodeLine(string Id, int Port, IReadOnlyList<string> Flags, string MasterId, IReadOnlyList<string> Slots)
{
    /// <summary>True for a master not flagged as failed.</summary>
    public bool IsHealthyMaster => Flags.Contains("master") && !Flags.Contains("fail") && !Flags.Contains("fail?");

    /// <summary>Parses a line; null when it is not one.</summary>
    public static ClusterNodeLine? Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 8)
        {
            return null;
        }

        var address = parts[1].Split('@')[0];
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        return new ClusterNodeLine(parts[0], port, parts[2].Split(','), parts[3], parts[8..]);
    }
}
