using Stickless.Redis.Cluster;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;
using Stickless.Redis.Tests.Resp;

namespace Stickless.Redis.Tests.Cluster;

public sealed class ClusterSlotMapTests
{
    private static readonly RedisEndpoint AnsweredBy = new("10.0.0.9", 7009);

    private static RespValue Parse(string resp)
    {
        var reader = new RespReader(RespTestBuffers.Single(resp.Replace("|", "\r\n", StringComparison.Ordinal)));
        Assert.True(reader.TryRead(out var value));
        return value;
    }

    private static string Node(string host, int port, string id = "abc") => $"*3|${host.Length}|{host}|:{port}|${id.Length}|{id}|";

    [Fact]
    public void TryParse_ThreeShardsWithReplicas_MapsEverySlot()
    {
        var reply = Parse(
            "*3|" +
            "*5|:0|:5460|" + Node("127.0.0.1", 7000) + Node("127.0.0.1", 7003) + Node("127.0.0.1", 7006) +
            "*4|:5461|:10922|" + Node("127.0.0.1", 7001) + Node("127.0.0.1", 7004) +
            "*4|:10923|:16383|" + Node("127.0.0.1", 7002) + Node("127.0.0.1", 7005));

        Assert.True(ClusterSlotMap.TryParse(reply, AnsweredBy, out var map, out var error), error);

        Assert.Equal(16384, map!.CoveredSlots);
        Assert.Equal(new RedisEndpoint("127.0.0.1", 7000), map.GetMaster(0));
        Assert.Equal(new RedisEndpoint("127.0.0.1", 7000), map.GetMaster(5460));
        Assert.Equal(new RedisEndpoint("127.0.0.1", 7001), map.GetMaster(5461));
        Assert.Equal(new RedisEndpoint("127.0.0.1", 7002), map.GetMaster(16383));
        Assert.Equal(3, map.Masters.Count);
        Assert.Equal(7, map.Nodes.Count);
        Assert.Equal([new RedisEndpoint("127.0.0.1", 7003), new RedisEndpoint("127.0.0.1", 7006)], map.Shards[0].Replicas);
    }

    [Fact]
    public void TryParse_EmptyHost_MeansTheNodeThatAnswered()
    {
        var reply = Parse("*1|*3|:0|:16383|" + Node("", 7009));

        Assert.True(ClusterSlotMap.TryParse(reply, AnsweredBy, out var map, out _));

        Assert.Equal(AnsweredBy, map!.GetMaster(100));
    }

    [Fact]
    public void TryParse_UnknownMasterAddress_LeavesRangeUncovered()
    {
        var reply = Parse("*2|*3|:0|:99|" + Node("?", 7000) + "*3|:100|:16383|" + Node("127.0.0.1", 7001));

        Assert.True(ClusterSlotMap.TryParse(reply, AnsweredBy, out var map, out _));

        Assert.Null(map!.GetMaster(50));
        Assert.Equal(16284, map.CoveredSlots);
    }

    [Fact]
    public void Redirect_MovedSlot_ChangesThatSlotOnly()
    {
        Assert.True(ClusterSlotMap.TryParse(Parse("*1|*3|:0|:16383|" + Node("127.0.0.1", 7000)), AnsweredBy, out var map, out _));
        var moved = new RedisEndpoint("127.0.0.1", 7001);

        map!.Redirect(42, moved);

        Assert.Equal(moved, map.GetMaster(42));
        Assert.Equal(new RedisEndpoint("127.0.0.1", 7000), map.GetMaster(43));
    }

    [Fact]
    public void TryParse_EmptyArray_CoversNothing()
    {
        Assert.True(ClusterSlotMap.TryParse(Parse("*0|"), AnsweredBy, out var map, out _));
        Assert.Equal(0, map!.CoveredSlots);
    }

    [Theory]
    [InlineData("+OK|")] // not an array: a server without cluster support would rather answer an error
    [InlineData("*1|:5|")] // a range that is not an array
    [InlineData("*1|*2|:0|:10|")] // a range without a master
    [InlineData("*1|*3|:10|:0|*2|$1|h|:1|")] // start after end
    [InlineData("*1|*3|:0|:16384|*2|$1|h|:1|")] // past the last slot
    [InlineData("*1|*3|:-1|:10|*2|$1|h|:1|")] // before the first slot
    [InlineData("*1|*3|$1|0|:10|*2|$1|h|:1|")] // bounds must be integers
    [InlineData("*1|*3|:0|:10|*1|$1|h|")] // a node without a port
    [InlineData("*1|*3|:0|:10|*2|$1|h|:70000|")] // port out of range
    [InlineData("*1|*3|:0|:10|*2|$3|a b|:1|")] // a host with a space
    [InlineData("*1|*3|:0|:10|*2|*0|:1|")] // a host that is an array
    public void TryParse_Malformed_ReturnsFalseWithReason(string resp)
    {
        Assert.False(ClusterSlotMap.TryParse(Parse(resp), AnsweredBy, out var map, out var error));
        Assert.Null(map);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
