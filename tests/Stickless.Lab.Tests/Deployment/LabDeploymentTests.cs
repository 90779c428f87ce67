using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stickless.Lab.Dashboard;
using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>Real deployments (Festa nodes, HAProxy, redis-server) started in-process, driven through HAProxy.</summary>
[Collection(BenchFixture.Collection)]
public sealed class LabDeploymentTests : IDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(4);

    private readonly string labDirectory = Directory.CreateTempSubdirectory("stickless-labdeploy-").FullName;
    private readonly LabTestLog log = new();

    [Fact]
    public async Task StartAsync_Local_RoundRobinSpreadsOneBrowserAndTheDashboardShowsIt()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var deployment = await StartAsync("local", timeout.Token);
        await using (deployment)
        {
            using var browser = new Browser(deployment.FrontendUrl);
            var servedBy = await browser.ServedByOfAsync(9, timeout.Token);

            // Round robin: one cookie jar meets every node.
            Assert.Equal(3, servedBy.Distinct().Count());

            var dashboard = await LabDashboard.StartAsync(deployment, 0, withProbe: true, timeout.Token);
            await using (dashboard)
            {
                using var http = new HttpClient { BaseAddress = dashboard.Url };
                Assert.Contains("Stickless lab", await http.GetStringAsync(new Uri("/", UriKind.Relative), timeout.Token), StringComparison.Ordinal);
                using var state = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/state", UriKind.Relative), timeout.Token));
                Assert.Equal("local", state.RootElement.GetProperty("strategy").GetString());
                Assert.Equal(3, state.RootElement.GetProperty("nodes").GetArrayLength());
                Assert.All(state.RootElement.GetProperty("nodes").EnumerateArray(), n => Assert.True(n.GetProperty("healthy").GetBoolean()));

                // Actions need the lab's header: another web page cannot kill nodes.
                using var forged = await http.PostAsync(new Uri("api/nodes/node1/kill", UriKind.Relative), null, timeout.Token);
                Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
                Assert.True(deployment.Nodes[0].IsAlive);
                using var kill = new HttpRequestMessage(HttpMethod.Post, "api/nodes/node1/kill");
                kill.Headers.Add(LabDashboard.ActionHeader, "1");
                using var killed = await http.SendAsync(kill, timeout.Token);
                Assert.Equal(HttpStatusCode.NoContent, killed.StatusCode);
                Assert.False(deployment.Nodes[0].IsAlive);
            }
        }

        AssertStopped(deployment);
    }

    [Fact]
    public async Task StartAsync_Sticky_OneBrowserStaysOnOneNodeAndFallsBackWhenItDies()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var deployment = await StartAsync("sticky", timeout.Token);
        await using (deployment)
        {
            using var browser = new Browser(deployment.FrontendUrl);
            Assert.Equal(HttpStatusCode.Created, await browser.PostAsync("signup", new { username = "sticky-user", password = "sticky-password" }, timeout.Token));
            Assert.Equal(HttpStatusCode.OK, await browser.PostAsync("login", new { username = "sticky-user", password = "sticky-password" }, timeout.Token));
            var servedBy = await browser.ServedByOfAsync(6, timeout.Token);
            var home = Assert.Single(servedBy.Distinct());

            await deployment.Nodes.Single(n => n.Name == home).KillAsync();

            // HAProxy sends the browser elsewhere (redispatch; the cookie names a dead server); the session died with its node.
            var (status, after) = await browser.GetAsync("me", timeout.Token);
            Assert.NotEqual(home, after);
            Assert.NotNull(after);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }

        AssertStopped(deployment);
    }

    [Fact]
    public async Task StartAsync_Redis_AnyNodeKnowsTheSession()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var deployment = await StartAsync("redis", timeout.Token);
        await using (deployment)
        {
            var redis = Assert.Single(deployment.Services);
            Assert.True(redis.IsAlive);
            using var browser = new Browser(deployment.FrontendUrl);
            Assert.Equal(HttpStatusCode.Created, await browser.PostAsync("signup", new { username = "redis-user", password = "redis-password" }, timeout.Token));
            Assert.Equal(HttpStatusCode.OK, await browser.PostAsync("login", new { username = "redis-user", password = "redis-password" }, timeout.Token));
            var answers = new List<(HttpStatusCode, string?)>();
            for (var i = 0; i < 6; i++)
            {
                answers.Add(await browser.GetAsync("me", timeout.Token));
            }

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Item1));
            Assert.Equal(3, answers.Select(a => a.Item2).Distinct().Count());
            Assert.True(await deployment.CountStoredSessionsAsync(timeout.Token) >= 1);
        }

        AssertStopped(deployment);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(labDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<LabDeployment> StartAsync(string strategy, CancellationToken cancellationToken)
    {
        var paths = new LabPaths(LabPaths.Resolve().RepositoryRoot, labDirectory);
        try
        {
            return await LabDeployment.StartAsync(new DeploymentSpec(strategy, 3, paths.RunDirectory(strategy)) { Paths = paths }, log, cancellationToken);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"{strategy} did not start: {exception.Message}{Environment.NewLine}{log}", exception);
        }
    }

    private void AssertStopped(LabDeployment deployment)
    {
        Assert.All(deployment.Nodes, n => Assert.False(n.IsAlive, n.Name));
        Assert.All(deployment.Services, s => Assert.False(s.IsAlive, s.Name));
        Assert.Empty(LabLeftovers.Records(labDirectory));
        Assert.Empty(LabLeftovers.ProcessesMentioning(labDirectory));
    }

    /// <summary>One browser: one cookie jar (by hand: Festa's cookie may be Secure, and the lab speaks plain HTTP).</summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClient http;
        private readonly CookieJar jar = new();

        public Browser(Uri frontend) =>
            http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(15) };

        public async Task<HttpStatusCode> PostAsync(string path, object body, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            return (await SendAsync(request, cancellationToken)).Status;
        }

        public async Task<(HttpStatusCode Status, string? ServedBy)> GetAsync(string path, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            return await SendAsync(request, cancellationToken);
        }

        public async Task<IReadOnlyList<string?>> ServedByOfAsync(int requests, CancellationToken cancellationToken)
        {
            var servedBy = new List<string?>();
            for (var i = 0; i < requests; i++)
            {
                servedBy.Add((await GetAsync("me", cancellationToken)).ServedBy);
            }

            return servedBy;
        }

        public void Dispose() => http.Dispose();

        private async Task<(HttpStatusCode Status, string? ServedBy)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            jar.Apply(request);
            using var response = await http.SendAsync(request, cancellationToken);
            jar.Update(response.Headers);
            return (response.StatusCode, response.Headers.TryGetValues("X-Served-By", out var values) ? values.Single() : null);
        }
    }
}
