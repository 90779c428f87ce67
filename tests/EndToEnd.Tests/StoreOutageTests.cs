using System.Diagnostics;
using System.Net;
using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// A Festa node on a real Redis that freezes (SIGSTOP): an endpoint without session keeps answering at once; one that
/// needs the session answers 503, bounded by the store timeout until the circuit breaker opens, then at once; once Redis
/// is back, requests succeed again within the breaker's probe interval.
/// </summary>
public sealed class StoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("festa-outage-e2e-").FullName;
    private RedisProcess _redis = null!;
    private FestaNode _node = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _node = await FestaNode.StartAsync("festa-outage", Path.Combine(_directory, "users.jsonl"), ["--Stickless:Store=Redis", $"--Stickless:Redis:Configuration={_redis.Endpoint}", "--Festa:PasswordIterations=1000"]);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RedisFrozen_SessionFreeEndpointAnswersSessionEndpointFailsFastOnceTheBreakerOpens_AndRecovers()
    {
        using var client = _node.CreateClient();
        await client.SignUpAsync("outage-user", "correct horse battery");
        await client.LogInAsync("outage-user", "correct horse battery");
        var before = await TimeAsync(client, "/me");
        Assert.Equal(HttpStatusCode.OK, before.Status);

        await _redis.PauseAsync();
        var during = new List<(string Path, HttpStatusCode Status, TimeSpan Elapsed)>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                during.Add(await TimeAsync(client, "/me"));
                during.Add(await TimeAsync(client, "/events"));
            }
        }
        finally
        {
            await _redis.ResumeAsync();
        }

        var resumed = Stopwatch.StartNew();
        (string Path, HttpStatusCode Status, TimeSpan Elapsed) after;
        do
        {
            after = await TimeAsync(client, "/me");
        }
        while (after.Status != HttpStatusCode.OK && resumed.Elapsed < TimeSpan.FromSeconds(20));

        resumed.Stop();
        foreach (var (path, status, elapsed) in during)
        {
            output.WriteLine($"frozen  {path,-8} {(int)status} {elapsed.TotalMilliseconds,8:0.0} ms");
        }

        output.WriteLine($"resumed: /me 200 again after {resumed.Elapsed.TotalMilliseconds:0} ms");
        var sessionCalls = during.Where(d => d.Path == "/me").ToList();
        var sessionFree = during.Where(d => d.Path == "/events").ToList();
        Assert.All(sessionCalls, d => Assert.Equal(HttpStatusCode.ServiceUnavailable, d.Status));
        Assert.All(sessionFree, d => Assert.Equal(HttpStatusCode.OK, d.Status));
        // The store timeout (2 s) bounds a 503; the slack is for a loaded 2-core machine, not for a second wait.
        Assert.All(sessionCalls, d => Assert.True(d.Elapsed < TimeSpan.FromSeconds(6), $"a 503 took {d.Elapsed}: the store timeout (2 s) must bound it"));
        Assert.True(sessionCalls.TakeLast(4).All(d => d.Elapsed < TimeSpan.FromMilliseconds(500)), "once the breaker opened, 503s must be immediate: " + string.Join(", ", sessionCalls.Select(d => $"{d.Elapsed.TotalMilliseconds:0}")));
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.True(resumed.Elapsed < TimeSpan.FromSeconds(10), $"recovery took {resumed.Elapsed}");
    }

    private static async Task<(string Path, HttpStatusCode Status, TimeSpan Elapsed)> TimeAsync(FestaClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        return (path, response.StatusCode, watch.Elapsed);
    }
}
