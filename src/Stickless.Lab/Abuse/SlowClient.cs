using System.Globalization;
using System.Net;
using System.Text;

namespace Stickless.Lab.Abuse;

/// <summary>
/// A slow client, one request at a time on a connection of its own: <c>slow-headers</c> sends a request's head a byte
/// every half second and never finishes it (HAProxy's <c>timeout http-request</c> must end it), <c>slow-body</c> sends a
/// whole head and then its announced body at four bytes a second (Kestrel's minimum data rate must end it). Either must
/// end in a 4xx or a close, never a 5xx and never a connection held for good.
/// </summary>
internal sealed class SlowClient
{
    /// <summary>The family of requests whose head never ends.</summary>
    public const string SlowHeaders = "slow-headers";

    /// <summary>The family of requests whose body trickles.</summary>
    public const string SlowBody = "slow-body";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);
    private readonly IPEndPoint frontend;
    private readonly bool headers;

    /// <summary>Creates a slow client of one kind.</summary>
    public SlowClient(IPEndPoint frontend, bool headers)
    {
        this.frontend = frontend;
        this.headers = headers;
    }

    /// <summary>Sends slow requests one after another while <paramref name="keepGoing"/> says so.</summary>
    public async Task RunAsync(Func<bool> keepGoing, IReadOnlyDictionary<string, AttackTally> tallies, LeakScanner leaks, CancellationToken ct)
    {
        var tally = tallies[headers ? SlowHeaders : SlowBody];
        while (keepGoing() && !ct.IsCancellationRequested)
        {
            using var connection = new RawHttpConnection(frontend, Limit);
            HostileRequest request;
            RawHttpResponse response;
            if (headers)
            {
                var bytes = Encoding.Latin1.GetBytes("GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + new string('s', 200));
                request = new HostileRequest(SlowHeaders, "a request head sent a byte every 500 ms, never finished", bytes);
                response = await connection.SendSlowlyAsync(bytes, 1, TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            }
            else
            {
                var body = Encoding.UTF8.GetBytes("\"" + new string('b', 1998) + "\"");
                var bytes = RawRequest.Build("PUT", "/preferences/slow", null, body, "application/json");
                request = new HostileRequest(SlowBody, "a 2,000-byte body sent at 4 bytes a second", bytes);
                var head = bytes.Length - body.Length;
                response = await connection.SendSlowlyAsync(bytes, head, TimeSpan.Zero, ct, afterFirst: (1, TimeSpan.FromMilliseconds(250))).ConfigureAwait(false);
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }

            var problem = response.Outcome switch
            {
                RawOutcome.TimedOut => string.Create(CultureInfo.InvariantCulture, $"the connection was held {Limit.TotalSeconds:0} s with no answer and no close"),
                RawOutcome.Answered when response.Status >= 500 => string.Create(CultureInfo.InvariantCulture, $"answered {response.Status}{(response.ServedBy is { } node ? " from " + node : " from HAProxy")}"),
                RawOutcome.Answered when response.Status < 400 => string.Create(CultureInfo.InvariantCulture, $"answered {response.Status} to a request that never completed"),
                _ => null,
            };
            tally.Record(request, response, problem, leaks.Find(response));
        }
    }
}
