using Stickless.Replication.Membership;

namespace Stickless.Replication;

/// <summary>Checks <see cref="ReplicatedSessionStoreOptions"/> and lists every error, not only the first.</summary>
internal static class ReplicatedSessionStoreOptionsValidator
{
    /// <summary>Every problem of <paramref name="options"/>, prefixed with its key under <c>Stickless:Replication</c>.</summary>
    public static List<string> Errors(ReplicatedSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = "Stickless:Replication:";
        if (options.Peers.Count == 0)
        {
            errors.Add($"{Prefix}Peers must list every node, this one included (Peers:0:NodeId, Peers:0:Url, ...).");
        }

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var seenUrls = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var peer = options.Peers[i];
            if (!NodeIds.IsValid(peer.NodeId))
            {
                errors.Add($"{Prefix}Peers:{i}:NodeId '{peer.NodeId}' must be 1 to {NodeIds.MaxLength} characters of A-Z a-z 0-9 . _ -.");
            }
            else if (!seenIds.Add(peer.NodeId))
            {
                errors.Add($"{Prefix}Peers:{i}:NodeId '{peer.NodeId}' appears twice.");
            }

            if (!Uri.TryCreate(peer.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Prefix}Peers:{i}:Url '{peer.Url}' must be an absolute http or https address.");
            }
            else if (!seenUrls.Add(url.GetLeftPart(UriPartial.Authority)))
            {
                errors.Add($"{Prefix}Peers:{i}:Url '{peer.Url}' appears twice.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            errors.Add($"{Prefix}NodeId must name this node (one of the Peers' NodeId).");
        }
        else if (options.Peers.Count > 0 && !seenIds.Contains(options.NodeId))
        {
            errors.Add($"{Prefix}NodeId '{options.NodeId}' is not one of the Peers ({string.Join(", ", seenIds)}).");
        }

        if (options.Peers.Count > NodeIds.MaxPeers)
        {
            errors.Add($"{Prefix}Peers lists {options.Peers.Count} nodes; at most {NodeIds.MaxPeers} are supported.");
        }

        if (string.IsNullOrEmpty(options.Secret) || options.Secret.Length < 16)
        {
            errors.Add($"{Prefix}Secret must be at least 16 characters, the same on every node.");
        }

        if (!Enum.IsDefined(options.Mode)) { errors.Add($"{Prefix}Mode must be AllToAll or PrimaryBackup (was {options.Mode})."); }
        if (!Enum.IsDefined(options.Ack)) { errors.Add($"{Prefix}Ack must be Sync or Async (was {options.Ack})."); }
        Positive(errors, Prefix + nameof(options.HeartbeatInterval), options.HeartbeatInterval);
        Positive(errors, Prefix + nameof(options.PeerTimeout), options.PeerTimeout);
        Positive(errors, Prefix + nameof(options.TransferTimeout), options.TransferTimeout);
        Positive(errors, Prefix + nameof(options.MaxClockSkew), options.MaxClockSkew);
        Positive(errors, Prefix + nameof(options.SweepInterval), options.SweepInterval);
        if (options.SuspectAfter <= options.HeartbeatInterval)
        {
            errors.Add($"{Prefix}SuspectAfter ({options.SuspectAfter}) must be longer than HeartbeatInterval ({options.HeartbeatInterval}).");
        }

        if (options.DeadAfter <= options.SuspectAfter)
        {
            errors.Add($"{Prefix}DeadAfter ({options.DeadAfter}) must be longer than SuspectAfter ({options.SuspectAfter}).");
        }

        if (options.MaxMessageBytes is < 64 * 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"{Prefix}MaxMessageBytes must be between 64 KiB and 64 MiB (was {options.MaxMessageBytes}).");
        }

        if (options.RouteCookieName is { } cookie && (cookie.Length is 0 or > 64 || !cookie.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            errors.Add($"{Prefix}RouteCookieName '{cookie}' must be 1 to 64 characters of A-Z a-z 0-9 _ -.");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive (was {value}).");
        }
    }
}
