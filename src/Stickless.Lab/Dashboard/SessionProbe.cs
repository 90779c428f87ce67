using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Dashboard;

/// <summary>
/// One pretend browser (one cookie jar) that signs in through HAProxy and then asks <c>GET /me</c> twice a
/// second: the dashboard's strip shows which node answered and whether it still knew the user. When a node
/// answers as anonymous, the probe signs in again, so a lost session shows as red, then a login.
/// </summary>
internal sealed class SessionProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Uri frontend;
    private readonly HttpClient http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly CookieJar jar = new();
    private readonly CancellationTokenSource stop = new();
    private readonly string password = "probe-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private Task? loop;
    private long requests;
    private long signOuts;
    private bool signedUp;

    /// <summary>Creates a probe of the deployment behind <paramref name="frontend"/>.</summary>
    public SessionProbe(Uri frontend) => this.frontend = frontend;

    /// <summary>The probe's user name.</summary>
    public string UserName { get; } = "lab-probe-" + RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The probe's last requests.</summary>
    public RecentRequestLog Recent { get; } = new();

    /// <summary>Requests sent.</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Times a node answered the signed-in probe as anonymous.</summary>
    public long SignOuts => Interlocked.Read(ref signOuts);

    /// <summary>True after the last answer knew the user.</summary>
    public bool SignedIn { get; private set; }

    /// <summary>Starts probing.</summary>
    public void Start() => loop = Task.Run(() => RunAsync(stop.Token));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await StepAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        if (!signedUp)
        {
            var (signup, _) = await SendAsync(HttpMethod.Post, "signup", cancellationToken).ConfigureAwait(false);
            signedUp = signup is HttpStatusCode.Created or HttpStatusCode.Conflict;
            if (!signedUp)
            {
                return;
            }

            await LoginAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var (status, servedBy) = await SendAsync(HttpMethod.Get, "me", cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.OK)
        {
            SignedIn = true;
            Record(servedBy, LiveOutcome.Ok, "GET /me: signed in");
        }
        else if (status == HttpStatusCode.Unauthorized)
        {
            if (SignedIn)
            {
                Interlocked.Increment(ref signOuts);
            }

            SignedIn = false;
            Record(servedBy, LiveOutcome.SignedOut, "GET /me: anonymous (session unknown here)");
            await LoginAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Record(servedBy, LiveOutcome.Error, $"GET /me: {(status is null ? "no answer" : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        var (status, servedBy) = await SendAsync(HttpMethod.Post, "login", cancellationToken).ConfigureAwait(false);
        SignedIn = status == HttpStatusCode.OK;
        Record(servedBy, SignedIn ? LiveOutcome.Ok : LiveOutcome.Error, SignedIn ? "POST /login" : $"POST /login: {(int?)status}");
    }

    private async Task<(HttpStatusCode? Status, string? ServedBy)> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(frontend, path));
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { username = UserName, password });
        }

        jar.Apply(request);
        Interlocked.Increment(ref requests);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            jar.Update(response.Headers);
            var servedBy = response.Headers.TryGetValues("X-Served-By", out var values) ? values.FirstOrDefault() : null;
            return (response.StatusCode, servedBy);
        }
        catch (Exception exception) when (exception is HttpRequestException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Debug.WriteLine(exception.Message);
            return (null, null);
        }
    }

    private void Record(string? servedBy, LiveOutcome outcome, string what) =>
        Recent.Add(new RecentRequest(DateTimeOffset.UtcNow, servedBy, outcome, what));
}
