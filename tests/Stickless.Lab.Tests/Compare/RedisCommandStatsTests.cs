using Stickless.Lab.Deployment.Redis;
using Xunit;

namespace Stickless.Lab.Tests.Compare;

/// <summary>Reading <c>INFO commandstats</c> and turning it into round trips (pure logic, each case says why).</summary>
public sealed class RedisCommandStatsTests
{
    private const string AspNetCoreRead = """
        # Commandstats
        cmdstat_hmget:calls=2,usec=16,usec_per_call=8.00,rejected_calls=0,failed_calls=0
        cmdstat_expire:calls=2,usec=14,usec_per_call=7.00,rejected_calls=0,failed_calls=0
        cmdstat_info:calls=7,usec=300,usec_per_call=42.00,rejected_calls=0,failed_calls=0
        """;

    // One EVALSHA whose script ran HGETALL and PEXPIRE: Redis lists all three.
    private const string ScriptedRead = """
        # Commandstats
        cmdstat_evalsha:calls=1,usec=40,usec_per_call=40.00,rejected_calls=0,failed_calls=0
        cmdstat_hgetall:calls=1,usec=3,usec_per_call=3.00,rejected_calls=0,failed_calls=0
        cmdstat_pexpire:calls=1,usec=2,usec_per_call=2.00,rejected_calls=0,failed_calls=0
        cmdstat_ping:calls=1,usec=1,usec_per_call=1.00,rejected_calls=0,failed_calls=0
        cmdstat_client|setname:calls=1,usec=1,usec_per_call=1.00,rejected_calls=0,failed_calls=0
        """;

    [Fact]
    public void Parse_NoScripts_EveryCommandButTheLabsIsARoundTrip()
    {
        var stats = RedisCommandStats.Parse(AspNetCoreRead);

        Assert.Equal(2, stats.Calls["hmget"]);
        Assert.Equal(4, stats.Commands); // why: INFO is the lab reading the counters, not the application
        Assert.Equal(4, stats.RoundTrips);
    }

    [Fact]
    public void Parse_ScriptCall_CountsTheScriptOnceNotWhatItRan()
    {
        var stats = RedisCommandStats.Parse(ScriptedRead);

        Assert.Equal(5, stats.Commands); // why: commands counts script bodies too
        Assert.Equal(3, stats.RoundTrips); // why: EVALSHA, PING and CLIENT SETNAME came from a client; HGETALL and PEXPIRE from the script
    }

    [Theory]
    [InlineData("", 0)] // why: an empty answer
    [InlineData("cmdstat_get:calls=x,usec=1", 0)] // why: calls is not a number
    [InlineData("cmdstat_get:usec=1", 0)] // why: no calls field
    [InlineData("garbage line\ncmdstat_set:calls=3,usec=1", 3)] // why: a line without a colon is skipped, the rest is read
    [InlineData("db0:keys=5,expires=5", 0)] // why: not a cmdstat line
    public void Parse_MalformedLines_AreSkipped(string info, long commands) =>
        Assert.Equal(commands, RedisCommandStats.Parse(info).Commands);

    [Fact]
    public void Minus_EarlierReading_IsWhatRanBetween()
    {
        var before = RedisCommandStats.Parse("cmdstat_get:calls=10,usec=1\ncmdstat_set:calls=4,usec=1");
        var after = RedisCommandStats.Parse("cmdstat_get:calls=15,usec=1\ncmdstat_set:calls=4,usec=1\ncmdstat_expire:calls=2,usec=1");

        var delta = after.Minus(before);

        Assert.Equal(7, delta.Commands);
        Assert.False(delta.Calls.ContainsKey("set")); // why: nothing ran
    }

    [Fact]
    public void Minus_CounterWentDown_CountsFromZero()
    {
        // why: a restarted server (or CONFIG RESETSTAT) starts again from zero; what it reports now ran since.
        var delta = RedisCommandStats.Parse("cmdstat_get:calls=3,usec=1").Minus(RedisCommandStats.Parse("cmdstat_get:calls=100,usec=1"));

        Assert.Equal(3, delta.Commands);
    }

    [Fact]
    public void Plus_TwoServers_AddsByName()
    {
        var sum = RedisCommandStats.Parse("cmdstat_get:calls=1,usec=1").Plus(RedisCommandStats.Parse("cmdstat_get:calls=2,usec=1\ncmdstat_set:calls=1,usec=1"));

        Assert.Equal(3, sum.Calls["get"]);
        Assert.Equal(4, sum.Commands);
    }
}
