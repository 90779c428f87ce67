using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

public sealed class HaproxyStatsTests
{
    // The shape HAProxy 2.6 answers on /stats;csv (columns trimmed after check_status).
    private const string Csv = """
        # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,
        festa,FRONTEND,,,1,2,4096,40,1,1,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,1,0,3,,
        festa_nodes,node1,0,0,0,1,,14,1,1,,0,,0,0,0,0,UP,1,1,0,0,0,9,0,,1,3,1,,14,,2,0,,1,L7OK,
        festa_nodes,node2,0,0,2,3,,13,1,1,,0,,0,0,0,0,DOWN,1,1,0,1,1,2,2,,1,3,2,,13,,2,0,,1,L4CON,
        festa_nodes,BACKEND,0,0,2,3,410,27,1,1,0,0,,0,0,0,0,UP,1,1,0,,0,9,0,,1,3,0,,27,,1,0,,3,,
        stats,FRONTEND,,,1,1,4096,3,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,4,0,,,,0,1,0,1,,
        """;

    [Fact]
    public void Parse_StatsCsv_ReadsTheFestaServersOnly()
    {
        var servers = HaproxyStats.Parse(Csv);

        Assert.Equal(["node1", "node2"], servers.Select(s => s.Name));
        Assert.True(servers[0].IsUp);
        Assert.Equal(14, servers[0].TotalRequests);
        Assert.Equal("L7OK", servers[0].LastCheck);
        Assert.False(servers[1].IsUp);
        Assert.Equal(2, servers[1].CurrentSessions);
    }

    [Theory]
    [InlineData("")]                       // HAProxy not answering yet
    [InlineData("<html>not csv</html>")]   // an error page
    public void Parse_NotStatsCsv_IsEmpty(string text) => Assert.Empty(HaproxyStats.Parse(text));
}
