using System.Globalization;
using System.Net;
using System.Text;

namespace Stickless.Lab.Abuse;

/// <summary>
/// One hostile client: signs up an account of its own and fills a session of its own to the attribute limit, then sends
/// abusive requests (<see cref="HostileCatalogue"/>) one after another as fast as they are answered, through HAProxy, and
/// judges every answer: no 5xx, no hang, the family's own check, and none of the real users' secrets.
/// </summary>
internal sealed class Attacker : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private readonly IPEndPoint frontend;
    private readonly Random random;
    private readonly RawHttpConnection connection;
    private readonly string name;

    /// <summary>Creates attacker number <paramref name="index"/>.</summary>
    public Attacker(IPEndPoint frontend, int index, int seed, string runId)
    {
        this.frontend = frontend;
        random = new Random(HashCode.Combine(seed, index));
        connection = new RawHttpConnection(frontend, RequestTimeout);
        name = string.Create(CultureInfo.InvariantCulture, $"evil-{runId}-{index}");
    }

    /// <summary>Its account and sessions, once <see cref="PrepareAsync"/> has run.</summary>
    public AttackerIdentity? Identity { get; private set; }

    /// <summary>Signs up and in, and fills an anonymous session to its attribute limit; false when it could not sign in.</summary>
    public async Task<bool> PrepareAsync(string password, CancellationToken ct)
    {
        var credentials = $"{{\"username\":\"{name}\",\"password\":\"{password}\"}}";
        using var setup = new RawHttpConnection(frontend, RequestTimeout);
        var signUp = await setup.SendAsync(RawRequest.Json("POST", "/signup", credentials), headRequest: false, ct).ConfigureAwait(false);
        if (signUp.Status is not (201 or 409))
        {
            return false;
        }

        var login = await setup.SendAsync(RawRequest.Json("POST", "/login", credentials), headRequest: false, ct).ConfigureAwait(false);
        if (login.Status != 200 || SessionIdFrom(login) is not { } id)
        {
            return false;
        }

        Identity = new AttackerIdentity(name, id, await FillSessionAsync(setup, ct).ConfigureAwait(false));
        return true;
    }

    /// <summary>Sends abusive requests until <paramref name="keepGoing"/> says stop, tallying each answer by family.</summary>
    public async Task RunAsync(Func<bool> keepGoing, IReadOnlyDictionary<string, AttackTally> tallies, LeakScanner leaks, CancellationToken ct)
    {
        var me = Identity ?? throw new InvalidOperationException("the attacker was not prepared");
        while (keepGoing() && !ct.IsCancellationRequested)
        {
            var request = HostileCatalogue.Draw(random, me);
            RawHttpResponse response;
            if (request.OwnConnection)
            {
                using var own = new RawHttpConnection(frontend, RequestTimeout);
                response = await own.SendAsync(request.Bytes, request.Head, ct).ConfigureAwait(false);
            }
            else
            {
                response = await connection.SendAsync(request.Bytes, request.Head, ct).ConfigureAwait(false);
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }

            var problem = response.Outcome switch
            {
                RawOutcome.TimedOut => string.Create(CultureInfo.InvariantCulture, $"no answer within {RequestTimeout.TotalSeconds:0} s"),
                RawOutcome.Refused => "HAProxy refused the connection",
                RawOutcome.Answered when response.Status >= 500 => string.Create(CultureInfo.InvariantCulture, $"answered {response.Status}{(response.ServedBy is { } node ? " from " + node : " from HAProxy")}"),
                _ => request.Check?.Invoke(response),
            };
            tallies[request.Kind].Record(request, response, problem, leaks.Find(response));
        }
    }

    /// <inheritdoc />
    public void Dispose() => connection.Dispose();

    /// <summary>The session id a response set, or null.</summary>
    internal static string? SessionIdFrom(RawHttpResponse response)
    {
        var prefix = HostileCatalogue.CookieName + "=";
        return response.HeaderValues("Set-Cookie")
            .Where(v => v.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => v[prefix.Length..].Split(';')[0])
            .LastOrDefault(static v => v.Length > 0);
    }

    private static async Task<string?> FillSessionAsync(RawHttpConnection setup, CancellationToken ct)
    {
        // An anonymous session, filled one preference at a time until the store's limit answers 422.
        string? id = null;
        for (var i = 0; i < 400; i++)
        {
            string[] cookie = id is null ? [] : [$"Cookie: {HostileCatalogue.CookieName}={id}"];
            var value = "\"" + new string('f', 200) + "\"";
            var response = await setup.SendAsync(
                RawRequest.Build("PUT", string.Create(CultureInfo.InvariantCulture, $"/preferences/fill{i}"), cookie, Encoding.UTF8.GetBytes(value), "application/json"),
                headRequest: false, ct).ConfigureAwait(false);
            id ??= SessionIdFrom(response);
            if (response.Status == 422)
            {
                return id;
            }

            if (response.Status != 200 || id is null)
            {
                return null;
            }
        }

        return null;
    }
}
