using Stickless.Redis.Connections;

namespace Stickless.Redis.Tests.Connections;

public sealed class RedisScriptTests
{
    [Fact]
    public void Sha1_KnownScript_MatchesWhatRedisComputes()
    {
        // The SHA-1 Redis's documentation shows for SCRIPT LOAD "return 1".
        var script = new RedisScript("return 1");

        Assert.Equal("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", script.Sha1);
    }

    [Fact]
    public void Constructor_EmptySource_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RedisScript(""));
    }
}
