using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>The Sentinel and WAIT pieces that need no server: options, the retry rule, the sentinel list, configuration.</summary>
public sealed class SentinelUnitTests
{
    [Fact]
    public void Parse_SentinelPassword_IsReadAndNeverPrinted()
    {
        var options = RedisConnectionOptions.Parse("127.0.0.1:26379,serviceName=mymaster,password=master-secret,sentinelPassword=sentinel-secret");

        Assert.Equal("sentinel-secret", options.SentinelPassword);
        Assert.Equal("sentinel-secret", options.Clone().SentinelPassword);
        Assert.DoesNotContain("secret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SentinelPasswordWithoutServiceName_ReportsIt()
    {
        var options = RedisConnectionOptions.Parse("127.0.0.1:6379,sentinelPassword=x");
        var errors = new List<string>();

        options.Validate(errors);

        Assert.Contains(errors, e => e.Contains("SentinelPassword", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("READONLY You can't write against a read only replica.", true)] // a plain command on a replica
    [InlineData("READONLY You can't write against a read only replica. script: abc, on @user_script:1.", true)] // Redis 7 script error keeps the code
    [InlineData("ERR Error running script (call to f_abc): @user_script:1: @user_script: 1: -READONLY You can't write against a read only replica.", true)] // Redis < 7
    [InlineData("ERR unknown command", false)]
    [InlineData("NOSCRIPT No matching script.", false)]
    public void IsReadOnly_ErrorReplies_RecognizesReplicaRefusals(string message, bool expected)
    {
        Assert.Equal(expected, RedisRetryRule.IsReadOnly(RespValue.FromError(message)));
    }

    [Theory]
    [InlineData("EVALSHA", false, true)]  // never written: the server never saw it
    [InlineData("EVALSHA", true, false)]  // written: it may have run
    [InlineData("SET", true, false)]
    [InlineData("HMGET", true, true)]    // a read: running it twice changes nothing
    [InlineData("PING", true, true)]
    public void MayRetryAfterConnectionError_WrittenOrNot_RetriesOnlyWhatCannotRunTwice(string command, bool written, bool expected)
    {
        var operation = new RedisOperation(command, []) { WrittenAt = written ? 1 : 0 };

        Assert.Equal(expected, RedisRetryRule.MayRetryAfterConnectionError(operation));
    }

    [Fact]
    public void SentinelList_PromoteAndAddMissing_KeepsTheAnsweringSentinelFirstAndAppendsNewOnes()
    {
        var a = new RedisEndpoint("127.0.0.1", 1);
        var b = new RedisEndpoint("127.0.0.1", 2);
        var c = new RedisEndpoint("127.0.0.1", 3);
        var list = new SentinelList([a, b]);

        list.Promote(b);
        var added = list.AddMissing([a, c, c]);

        Assert.Equal([b, a, c], list.Snapshot());
        Assert.Equal(1, added);
    }

    [Fact]
    public void Validate_WaitTimeoutNotShorterThanOperationTimeout_ReportsIt()
    {
        var options = new RedisSessionStoreOptions { Configuration = "127.0.0.1:6379", WaitForReplicas = 1, WaitTimeout = TimeSpan.FromSeconds(2), OperationTimeout = TimeSpan.FromSeconds(2) };
        var errors = new List<string>();

        options.Validate(errors);

        Assert.Contains(errors, e => e.Contains("WaitTimeout", StringComparison.Ordinal));
    }
}
