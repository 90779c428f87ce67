using Stickless.Redis.Connections;

namespace Stickless.Redis.Tests.Connections;

public sealed class RedisConnectionOptionsTests
{
    [Fact]
    public void Parse_FullString_ReadsEveryOption()
    {
        var options = RedisConnectionOptions.Parse(
            "redis1:6380, 10.0.0.2 ,[::1]:7000,password=s3cret,user=app,ssl=true,sslHost=redis.local,defaultDatabase=3," +
            "connectTimeout=1500,syncTimeout=250,serviceName=mymaster,name=festa-1,abortConnect=false,protocol=resp3,allowAdmin=true");

        Assert.Equal([new RedisEndpoint("redis1", 6380), new RedisEndpoint("10.0.0.2", 6379), new RedisEndpoint("::1", 7000)], options.Endpoints);
        Assert.Equal("s3cret", options.Password);
        Assert.Equal("app", options.User);
        Assert.True(options.Ssl);
        Assert.Equal("redis.local", options.SslHost);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
        Assert.Equal("mymaster", options.ServiceName);
        Assert.Equal("festa-1", options.ClientName);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(RedisProtocol.Resp3, options.Protocol);
    }

    [Fact]
    public void Parse_HostOnly_UsesDefaults()
    {
        var options = RedisConnectionOptions.Parse("localhost");

        Assert.Equal(new RedisEndpoint("localhost", 6379), Assert.Single(options.Endpoints));
        Assert.Null(options.Password);
        Assert.False(options.Ssl);
        Assert.Equal(0, options.DefaultDatabase);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CommandTimeout);
        Assert.True(options.AbortOnConnectFail);
        Assert.Equal(RedisProtocol.Resp2, options.Protocol);
    }

    [Theory]
    [InlineData("timeout=700")]
    [InlineData("asyncTimeout=700")]
    [InlineData("SYNCTIMEOUT=700")]
    public void Parse_TimeoutAliases_SetCommandTimeout(string option)
    {
        var options = RedisConnectionOptions.Parse("h:1," + option);

        Assert.Equal(TimeSpan.FromMilliseconds(700), options.CommandTimeout);
    }

    [Fact]
    public void Parse_SeveralBadParts_ListsEveryOneWithoutThePassword()
    {
        var error = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse(
            "host:notaport,password=hunter2,ssl=maybe,defaultDatabase=-1,connectTimeout=abc,bogus=1,protocol=resp9"));

        Assert.Contains("host:notaport", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ssl'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'defaultDatabase'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'connectTimeout'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bogus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'protocol'", error.Message, StringComparison.Ordinal);
        Assert.Contains("No endpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "no endpoint at all")]
    [InlineData("password=x", "options but no endpoint")]
    [InlineData("host:0", "port 0")]
    [InlineData("host:65536", "port out of range")]
    [InlineData("a:b:c", "an IPv6 literal must be in brackets")]
    [InlineData("host:1,user=bob", "a user without a password")]
    [InlineData("host:1,syncTimeout=0", "a zero timeout")]
    public void Parse_InvalidString_ThrowsFormatException(string configuration, string why)
    {
        Assert.True(Record.Exception(() => RedisConnectionOptions.Parse(configuration)) is FormatException, why);
    }

    [Fact]
    public void ToString_WithPassword_OmitsPasswordAndRoundTrips()
    {
        var text = "h1:1,h2:2,password=hunter2,user=u,ssl=true,defaultDatabase=2,connectTimeout=100,syncTimeout=200,serviceName=m,name=n,abortConnect=false,protocol=resp3";
        var options = RedisConnectionOptions.Parse(text);

        var printed = options.ToString();
        var reparsed = RedisConnectionOptions.Parse(printed + ",password=hunter2");

        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.Equal(reparsed.ToString(), printed);
        Assert.Equal(options.Endpoints, reparsed.Endpoints);
    }

    [Fact]
    public void Validate_BadValues_ListsEveryError()
    {
        var options = new RedisConnectionOptions { DefaultDatabase = -1, CommandTimeout = TimeSpan.Zero, ConnectTimeout = TimeSpan.Zero };
        var errors = new List<string>();

        options.Validate(errors);

        Assert.Equal(4, errors.Count);
    }
}
