using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

public sealed class HaproxyConfigurationTests
{
    private static readonly LabNodePlan[] Nodes = [new(1, "node1", 5001), new(2, "node2", 5002)];

    [Fact]
    public void Render_RoundRobin_ChecksHealthAndInsertsNoCookie()
    {
        var text = HaproxyConfiguration.Render(8080, 9000, Nodes, sticky: false);

        Assert.Contains("bind 127.0.0.1:8080", text, StringComparison.Ordinal);
        Assert.Contains("balance roundrobin", text, StringComparison.Ordinal);
        Assert.Contains("option httpchk GET /healthz", text, StringComparison.Ordinal);
        Assert.Contains("server node1 127.0.0.1:5001 check\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cookie", text.Replace("# ", string.Empty, StringComparison.Ordinal).Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate(string.Empty, (a, l) => a + l), StringComparison.Ordinal);
        Assert.Contains("bind 127.0.0.1:9000", text, StringComparison.Ordinal);
        Assert.Contains("stats uri /stats", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Sticky_InsertsServerCookieAndRedispatches()
    {
        var text = HaproxyConfiguration.Render(8080, 9000, Nodes, sticky: true);

        Assert.Contains("cookie SERVERID insert indirect nocache", text, StringComparison.Ordinal);
        Assert.Contains("server node2 127.0.0.1:5002 check cookie node2", text, StringComparison.Ordinal);
        Assert.Contains("option redispatch", text, StringComparison.Ordinal);
    }
}
