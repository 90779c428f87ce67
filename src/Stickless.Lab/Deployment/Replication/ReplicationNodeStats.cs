using System.Net.Http.Headers;
using System.Text.Json;

namespace Stickless.Lab.Deployment.Replication;

/// <summary>One node's replication figures, as <c>GET /stickless/peer/stats</c> answers them (the lab presents the cluster secret).</summary>
internal sealed record ReplicationNodeStats(
    string Node,
    long SessionsHeld,
    long BytesHeld,
    long Writes,
    long LocalLoads,
    long ForwardedLoads,
    double ForwardedLoadSeconds,
    long ForwardedCommits,
    long Conflicts,
    long DeletesWon,
    long CopyFailures,
    long ReplicateMessages,
    long ReplicateBytes,
    long RebalanceBytes)
{
    /// <summary>Reads every live node's figures; a node that does not answer (dead, paused) is left out.</summary>
    public static async Task<IReadOnlyList<ReplicationNodeStats>> ReadAllAsync(LabDeployment deployment, string secret, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var tasks = deployment.Nodes.Where(n => n.IsAlive).Select(async node =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.Url, "stickless/peer/stats"));
                request.Headers.Add("X-Stickless-Secret", secret);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return null;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                return Parse(node.Name, json.RootElement);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                return null;
            }
        });
        var all = await Task.WhenAll(tasks).ConfigureAwait(false);
        return [.. all.OfType<ReplicationNodeStats>()];
    }

    private static ReplicationNodeStats Parse(string node, JsonElement root)
    {
        long messages = 0, bytes = 0, rebalance = 0;
        foreach (var item in root.GetProperty("traffic").EnumerateArray())
        {
            var type = item.GetProperty("type").GetString();
            var sent = item.GetProperty("sent").GetBoolean();
            if (!sent)
            {
                continue;
            }

            // Counted once, at the sender: the owner's copies and the replicas' acknowledgements.
            if (type == "replicate")
            {
                messages += item.GetProperty("messages").GetInt64();
                bytes += item.GetProperty("bytes").GetInt64();
            }
            else if (type == "replicate_result")
            {
                bytes += item.GetProperty("bytes").GetInt64();
            }
            else if (type == "rebalance")
            {
                rebalance += item.GetProperty("bytes").GetInt64();
            }
        }

        return new ReplicationNodeStats(
            node,
            root.GetProperty("sessionsHeld").GetInt64(),
            root.GetProperty("bytesHeld").GetInt64(),
            root.GetProperty("writes").GetInt64(),
            root.GetProperty("localLoads").GetInt64(),
            root.GetProperty("forwardedLoads").GetInt64(),
            root.GetProperty("forwardedLoadSeconds").GetDouble(),
            root.GetProperty("forwardedCommits").GetInt64(),
            root.GetProperty("conflicts").GetInt64(),
            root.GetProperty("deletesWon").GetInt64(),
            root.GetProperty("copyFailures").GetInt64(),
            messages,
            bytes,
            rebalance);
    }
}
