using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Deployment.Strategies;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>
/// The redis strategy's persistence settings on a real redis-server: acknowledged writes, a SIGKILL, a restart from the
/// same files, and what came back.
/// </summary>
public sealed class RedisPersistenceIntegrationTests
{
    private const int Writes = 500;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RestartAsync_NoPersistence_StartsEmpty()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var redis = await RedisServicesHarness.StartAsync(new RedisStrategy(), timeout.Token, RedisPersistence.None);
        var service = redis.Services.Single();
        await IncrementAsync(service.Port, Writes, timeout.Token);

        await service.KillAsync();
        await service.RestartAsync(timeout.Token);

        Assert.Null(await RedisLabClient.ExecuteAsync(service.Port, ["GET", "counter"], timeout.Token));
    }

    [Theory]
    [InlineData("aof-always")]

    // A SIGKILL is a process crash: everysec's writes are in the kernel already, only a machine crash loses up to 1 s.
    [InlineData("aof-everysec")]
    public async Task RestartAsync_AppendOnlyFile_KeepsEveryAcknowledgedWrite(string setting)
    {
        Assert.True(RedisPersistence.TryParse(setting, out var persistence));
        using var timeout = new CancellationTokenSource(Bound);
        await using var redis = await RedisServicesHarness.StartAsync(new RedisStrategy(), timeout.Token, persistence);
        var service = redis.Services.Single();
        await IncrementAsync(service.Port, Writes, timeout.Token);

        await service.KillAsync();
        await service.RestartAsync(timeout.Token);

        Assert.Equal(Writes.ToString(System.Globalization.CultureInfo.InvariantCulture), await RedisLabClient.ExecuteAsync(service.Port, ["GET", "counter"], timeout.Token));
        Assert.Equal("yes", await ConfigAsync(service.Port, "appendonly", timeout.Token));
        Assert.Equal(setting["aof-".Length..], await ConfigAsync(service.Port, "appendfsync", timeout.Token));
    }

    [Fact]
    public async Task RestartAsync_Rdb_KeepsTheLastSnapshotAndLosesWhatCameAfter()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var redis = await RedisServicesHarness.StartAsync(new RedisStrategy(), timeout.Token, RedisPersistence.Rdb);
        var service = redis.Services.Single();
        Assert.Equal("10 1", await ConfigAsync(service.Port, "save", timeout.Token));
        Assert.Equal("no", await ConfigAsync(service.Port, "appendonly", timeout.Token));
        await IncrementAsync(service.Port, Writes, timeout.Token);
        await SnapshotAsync(service.Port, timeout.Token);

        // No automatic snapshot from here on, so that what follows is lost however slowly the test runs.
        await RedisLabClient.ExecuteAsync(service.Port, ["CONFIG", "SET", "save", ""], timeout.Token);
        await IncrementAsync(service.Port, 100, timeout.Token);
        await service.KillAsync();
        await service.RestartAsync(timeout.Token);

        Assert.Equal(Writes.ToString(System.Globalization.CultureInfo.InvariantCulture), await RedisLabClient.ExecuteAsync(service.Port, ["GET", "counter"], timeout.Token));
    }

    private static async Task IncrementAsync(int port, int times, CancellationToken ct)
    {
        for (var i = 0; i < times; i++)
        {
            await RedisLabClient.ExecuteAsync(port, ["INCR", "counter"], ct);
        }
    }

    private static async Task<string?> ConfigAsync(int port, string name, CancellationToken ct) =>
        ((object?[]?)await RedisLabClient.ExecuteAsync(port, ["CONFIG", "GET", name], ct))?[1] as string;

    private static async Task SnapshotAsync(int port, CancellationToken ct)
    {
        await RedisLabClient.ExecuteAsync(port, ["BGSAVE"], ct);
        while (true)
        {
            var info = await RedisInfo.ReadAsync(port, "persistence", ct);
            if (RedisInfo.Long(info, "rdb_bgsave_in_progress") == 0 && info.GetValueOrDefault("rdb_last_bgsave_status") == "ok"
                && RedisInfo.Long(info, "rdb_changes_since_last_save") == 0)
            {
                return;
            }

            // The snapshot runs in a forked child; the caller's token bounds the wait.
            await Task.Delay(20, ct);
        }
    }
}
