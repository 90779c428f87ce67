using Stickless.Redis.Cluster;
using Stickless.Redis.Connections;

namespace Stickless.Redis.Tests.Cluster;

public sealed class ClusterRedirectTests
{
    private static readonly RedisEndpoint AnsweredBy = new("10.0.0.9", 7009);

    [Theory]
    [InlineData("MOVED 3999 127.0.0.1:6381", false, 3999, "127.0.0.1", 6381)]
    [InlineData("ASK 3999 127.0.0.1:6381", true, 3999, "127.0.0.1", 6381)]
    [InlineData("MOVED 0 :7000", false, 0, "10.0.0.9", 7000)] // empty host: the node that answered
    [InlineData("MOVED 16383 ::1:7000", false, 16383, "::1", 7000)] // IPv6 without brackets, as Redis prints it
    [InlineData("ASK 12 redis-2.example:6379", true, 12, "redis-2.example", 6379)]
    public void TryParse_Redirections_ReadSlotAndEndpoint(string message, bool isAsk, int slot, string host, int port)
    {
        Assert.True(ClusterRedirect.TryParse(message, AnsweredBy, out var redirect));
        Assert.Equal(new ClusterRedirect(isAsk, slot, new RedisEndpoint(host, port)), redirect);
    }

    [Theory]
    [InlineData("ERR unknown command")] // not a redirection
    [InlineData("MOVED 3999")] // no endpoint
    [InlineData("MOVED x 127.0.0.1:1")] // slot not a number
    [InlineData("MOVED 16384 127.0.0.1:1")] // slot out of range
    [InlineData("MOVED -1 127.0.0.1:1")] // negative slot
    [InlineData("MOVED 1 127.0.0.1")] // no port
    [InlineData("MOVED 1 127.0.0.1:0")] // port out of range
    [InlineData("MOVED 1 127.0.0.1:99999")] // port out of range
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot")] // retried, not redirected
    public void TryParse_NotARedirection_ReturnsFalse(string message) =>
        Assert.False(ClusterRedirect.TryParse(message, AnsweredBy, out _));

    [Theory]
    [InlineData("GET", new[] { "k" }, "k")]
    [InlineData("HMGET", new[] { "k", "a", "b" }, "k")]
    [InlineData("EVALSHA", new[] { "sha", "2", "k1", "k2", "arg" }, "k1")]
    [InlineData("EVAL", new[] { "return 1", "0", "arg" }, null)] // no keys: any node
    [InlineData("PING", new string[0], null)]
    [InlineData("PUBLISH", new[] { "channel", "message" }, null)] // a channel is not a key
    [InlineData("WAIT", new[] { "1", "100" }, null)]
    public void TryGetFirstKey_Commands_FindTheRoutingKey(string command, string[] args, string? key)
    {
        var found = ClusterRouting.TryGetFirstKey(command, [.. args.Select(a => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(a))], out var routing);

        Assert.Equal(key is not null, found);
        if (key is not null)
        {
            Assert.Equal(key, System.Text.Encoding.UTF8.GetString(routing.Span));
        }
    }

    [Theory]
    [InlineData("127.0.0.1:7000,127.0.0.1:7001,cluster=true", true)]
    [InlineData("127.0.0.1:7000,cluster=false", false)]
    [InlineData("127.0.0.1:7000,cluster=auto", null)]
    [InlineData("127.0.0.1:7000", null)]
    public void Parse_ClusterKey_SetsMode(string configuration, bool? cluster)
    {
        var options = RedisConnectionOptions.Parse(configuration);

        Assert.Equal(cluster, options.Cluster);
        Assert.Equal(cluster, RedisConnectionOptions.Parse(options.ToString()).Cluster);
    }

    [Fact]
    public void Parse_ClusterWithServiceNameOrDatabase_ListsBothErrors()
    {
        var options = RedisConnectionOptions.Parse("127.0.0.1:7000,cluster=true,serviceName=m,defaultDatabase=2");
        var errors = new List<string>();

        options.Validate(errors);

        Assert.Equal(2, errors.Count);
        Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse("127.0.0.1:7000,cluster=maybe"));
    }

    [Theory]
    [InlineData("# Cluster\r\ncluster_enabled:1\r\n", true)]
    [InlineData("# Cluster\r\ncluster_enabled:0\r\n", false)]
    [InlineData("", false)]
    public void IsClusterEnabled_InfoText_ReadsTheFlag(string info, bool expected) =>
        Assert.Equal(expected, RedisExecutorFactory.IsClusterEnabled(info));
}
