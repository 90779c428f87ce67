using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Redis.Connections;

namespace Stickless.Redis.Tests.Sentinel;

[Collection(SentinelSteadyCollection.Name)]
public sealed class SentinelClientIntegrationTests(SentinelDeployment deployment)
{
    [Fact]
    public async Task ConnectAsync_ThroughSentinels_ConnectsToTheMasterTheyName()
    {
        var master = await deployment.MasterAsync();

        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse(deployment.Configuration));
        await client.ExecuteAsync("SET", ["sentinel:connect", "yes"]);

        Assert.Equal(master.Port, client.ConnectedEndpoint?.Port);
        Assert.Equal("yes", await master.CliAsync("GET", "sentinel:connect"));
    }

    [Fact]
    public async Task ConnectAsync_FirstSentinelDown_AsksTheNextOne()
    {
        var configuration = $"127.0.0.1:1,{deployment.Configuration}";

        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse(configuration));

        Assert.Equal((await deployment.MasterAsync()).Port, client.ConnectedEndpoint?.Port);
    }

    [Fact]
    public async Task ConnectAsync_UnknownServiceName_FailsSayingNoSentinelKnowsIt()
    {
        var configuration = string.Join(",", deployment.Sentinels.Select(s => s.Endpoint)) + ",serviceName=nosuchmaster";

        var ex = await Assert.ThrowsAsync<RedisConnectionException>(async () => await RedisClient.ConnectAsync(RedisConnectionOptions.Parse(configuration)));

        Assert.Contains("No sentinel knows the master name 'nosuchmaster'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NoSentinelReachable_FailsSayingSentinelIsUnreachable()
    {
        var ex = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
            await RedisClient.ConnectAsync(RedisConnectionOptions.Parse("127.0.0.1:1,127.0.0.1:2,serviceName=mymaster")));

        Assert.Contains("Redis Sentinel is unreachable", ex.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_SentinelsKnowPeers_AddsThemToTheList()
    {
        // Given only one sentinel, the client learns the other two from SENTINEL sentinels.
        var configuration = $"{deployment.Sentinels[0].Endpoint},serviceName={SentinelDeployment.MasterName}";
        var options = RedisConnectionOptions.Parse(configuration);
        var resolver = new SentinelEndpointResolver(options, TimeProvider.System, NullLogger.Instance, new Random(1));
        await using var _ = resolver;

        var master = await resolver.ResolveAsync(CancellationToken.None);

        Assert.Equal((await deployment.MasterAsync()).Port, Assert.Single(master).Port);
        Assert.Equal(
            deployment.Sentinels.Select(s => s.Port).Order(),
            resolver.KnownSentinels.Select(s => s.Port).Order());
        Assert.Equal(deployment.Sentinels[0].Port, resolver.KnownSentinels[0].Port);
    }
}
