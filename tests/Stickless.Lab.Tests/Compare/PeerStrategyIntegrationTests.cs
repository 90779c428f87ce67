using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stickless.Lab.Bench;
using Stickless.Lab.Dashboard;
using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Compare;

/// <summary>The peers as lab strategies (real nodes, HAProxy and redis-server), and a short <c>bench --compare</c>.</summary>
[Collection(BenchFixture.Collection)]
public sealed class PeerStrategyIntegrationTests : IDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(5);

    private readonly string labDirectory = Directory.CreateTempSubdirectory("stickless-peers-").FullName;
    private readonly LabTestLog log = new();

    [Theory]
    [InlineData("aspnetcore-redis", true)] // why: ASP.NET Core Session cannot give a session a new id; the pre-login id is the signed-in one
    [InlineData("express-redis", false)] // why: the express-session docs' login regenerates the session
    public async Task StartAsync_Peer_AnyNodeKnowsTheSessionAndFixationIsMeasured(string strategy, bool preLoginIdSignedIn)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var paths = new LabPaths(LabPaths.Resolve().RepositoryRoot, labDirectory);
        LabDeployment deployment;
        try
        {
            deployment = await LabDeployment.StartAsync(new DeploymentSpec(strategy, 2, paths.RunDirectory(strategy)) { Paths = paths }, log, timeout.Token);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"{strategy} did not start: {exception.Message}{Environment.NewLine}{log}", exception);
        }

        await using (deployment)
        {
            Assert.True(Assert.Single(deployment.Services).IsAlive);
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = deployment.FrontendUrl, Timeout = TimeSpan.FromSeconds(15) };
            var jar = new CookieJar();
            var user = "peer-" + strategy[..3];
            Assert.Equal(HttpStatusCode.Created, await SendAsync(http, jar, HttpMethod.Post, "signup", new { username = user, password = "peer-password" }, timeout.Token));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(http, jar, HttpMethod.Post, "login", new { username = user, password = "peer-password" }, timeout.Token));
            var servedBy = new HashSet<string>();
            for (var i = 0; i < 4; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "me");
                jar.Apply(request);
                using var me = await http.SendAsync(request, timeout.Token);
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
                servedBy.Add(me.Headers.GetValues("X-Served-By").Single());
            }

            Assert.Equal(2, servedBy.Count); // round robin: both nodes read the session from Redis
            Assert.True(await deployment.CountStoredSessionsAsync(timeout.Token) >= 1);
            Assert.Equal(preLoginIdSignedIn, await FixationProbe.CheckAsync(deployment.FrontendUrl, TimeProvider.System, timeout.Token));
        }

        Assert.All(deployment.Nodes, n => Assert.False(n.IsAlive, n.Name));
        Assert.Empty(LabLeftovers.Records(labDirectory));
        Assert.Empty(LabLeftovers.ProcessesMentioning(labDirectory));
    }

    [Fact]
    public async Task BenchCommand_CompareContended_WritesTheHeadlineFieldsAndStopsEverything()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var outDirectory = Path.Combine(labDirectory, "out");
        var output = new StringWriter();
        var args = new BenchArguments
        {
            Strategies = ["redis", "express-redis"],
            Compare = true,
            Workload = WorkloadKind.Contended,
            Connections = 8,
            Duration = TimeSpan.FromSeconds(3),
            Nodes = 1,
            OutDirectory = outDirectory,
            LabDirectory = labDirectory,
        };

        var exit = await BenchCommand.RunAsync(args, log, TextWriter.Null, output, TimeProvider.System, timeout.Token);

        Assert.True(exit == 0, log.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDirectory, "results.json")));
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("strategy").GetString()!);
        foreach (var run in runs.Values)
        {
            Assert.Equal("contended", run.GetProperty("workload").GetString());
            Assert.Equal(1, run.GetProperty("sessions").GetInt32());
            Assert.True(run.GetProperty("requests").GetInt64() > 0);
            Assert.True(run.GetProperty("storeRoundTripsPerRequest").GetDouble() >= 1, "every counter request costs the store at least one round trip");
            Assert.False(run.GetProperty("preLoginIdSignedInAfterLogin").GetBoolean());
            Assert.True(run.GetProperty("acknowledgedWrites").GetInt64() > 0);
        }

        // Stickless's counter is compare-and-set: nothing acknowledged is lost (a 409 is an answer, not a loss).
        Assert.Equal(0, runs["redis"].GetProperty("lostUpdates").GetInt64());
        var html = await File.ReadAllTextAsync(Path.Combine(outDirectory, "report.html"));
        Assert.True(html.IndexOf("<h2>Headline: contended", StringComparison.Ordinal) is var headline and >= 0 && headline < html.IndexOf("<h2>What happened", StringComparison.Ordinal));
        Assert.Contains("| express-redis |", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(LabLeftovers.Records(labDirectory));
        Assert.Empty(LabLeftovers.ProcessesMentioning(labDirectory));
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

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, CookieJar jar, HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        jar.Apply(request);
        using var response = await http.SendAsync(request, cancellationToken);
        jar.Update(response.Headers);
        return response.StatusCode;
    }
}
