using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Stickless.Redis.Connection;
using Stickless.Testing;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>The store's own Sentinel client, against real sentinels that cause no failover.</summary>
[Collection(SentinelSteadyCollection.Name)]
public sealed class RedisSentinelFollowerIntegrationTests(SentinelDeployment deployment)
{
    [Fact]
    public async Task MasterAsync_SentinelsUp_ReturnsTheMasterTheyNameAndPlainOptionsForIt()
    {
        await deployment.WaitUntilHealthyAsync();
        await using var follower = CreateFollower(deployment.Configuration);

        var master = await follower.MasterAsync(CancellationToken.None);
        var options = follower.OptionsFor(master);

        Assert.Equal((await deployment.MasterAsync()).Endpoint, EndPointCollection.ToString(master));
        // A plain connection to the master alone: StackExchange.Redis's Sentinel path (and its replicas) stays out.
        Assert.Null(options.ServiceName);
        Assert.Equal([EndPointCollection.ToString(master)], options.EndPoints.Select(EndPointCollection.ToString));
    }

    [Fact]
    public async Task Suspect_SentinelsStillNameTheMaster_KeepsItUntilConfirmed()
    {
        await deployment.WaitUntilHealthyAsync();
        await using var follower = CreateFollower(deployment.Configuration);
        var master = await follower.MasterAsync(CancellationToken.None);
        var moves = 0;
        follower.MasterChanged += _ => Interlocked.Increment(ref moves);

        follower.Suspect(master, "test");
        await Task.Delay(500); // some 5 rounds of questions: every sentinel still names the same master
        follower.Confirm(master);

        Assert.Equal(0, Volatile.Read(ref moves));
        Assert.True(RedisSentinelFollower.SameEndPoint(master, follower.Master));
    }

    [Fact]
    public async Task Suspect_AnEndpointThatIsNotTheMaster_IsIgnored()
    {
        await deployment.WaitUntilHealthyAsync();
        await using var follower = CreateFollower(deployment.Configuration);
        var master = await follower.MasterAsync(CancellationToken.None);
        var moves = 0;
        follower.MasterChanged += _ => Interlocked.Increment(ref moves);

        // A late failure report from a connection to a former master must not start anything.
        follower.Suspect(new IPEndPoint(IPAddress.Loopback, 1), "stale report");

        Assert.Equal(0, Volatile.Read(ref moves));
        Assert.True(RedisSentinelFollower.SameEndPoint(master, follower.Master));
    }

    [Fact]
    public async Task MasterAsync_NoSentinelListening_ThrowsConnectionExceptionWithoutWaitingLong()
    {
        var port = LoopbackPorts.Next();
        await using var follower = CreateFollower($"127.0.0.1:{port},serviceName=mymaster,connectTimeout=1000");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => follower.MasterAsync(timeout.Token));

        Assert.Contains("mymaster", ex.Message, StringComparison.Ordinal);
        Assert.Null(follower.Master);
    }

    private static RedisSentinelFollower CreateFollower(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        return new RedisSentinelFollower(options, TimeSpan.FromSeconds(1), NullLogger.Instance, TimeProvider.System);
    }

}
