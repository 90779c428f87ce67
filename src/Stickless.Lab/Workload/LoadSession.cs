using System.Net.Http.Headers;
using Stickless.Lab.Dashboard;

namespace Stickless.Lab.Workload;

/// <summary>
/// One session of a <see cref="SessionLoadRunner"/>, which several connections may use at once: its cookies (taken from
/// every answer, as a browser does) and, for the counter workloads, what its counter must hold.
/// </summary>
internal sealed class LoadSession
{
    private readonly Lock sync = new();
    private readonly CookieJar jar;
    private long baseline;
    private long acknowledged;

    /// <summary>An empty session: no cookie yet.</summary>
    public LoadSession(string? username = null)
        : this(new CookieJar(), username)
    {
    }

    private LoadSession(CookieJar jar, string? username)
    {
        this.jar = jar;
        Username = username;
    }

    /// <summary>The user signed in on it (the read workload), or null for an anonymous session.</summary>
    public string? Username { get; }

    /// <summary>The counter value answered before the measured run: what the run's increments add to.</summary>
    public long Baseline
    {
        get { lock (sync) { return baseline; } }
    }

    /// <summary>Increments answered 200 since <see cref="Baseline"/>.</summary>
    public long Acknowledged
    {
        get { lock (sync) { return acknowledged; } }
    }

    /// <summary>Another session object holding the same cookies (a second browser handed them); no counter ledger.</summary>
    public LoadSession CopyCookies(string? username = null)
    {
        lock (sync)
        {
            return new LoadSession(jar.Clone(), username);
        }
    }

    /// <summary>Adds the session's cookies to <paramref name="request"/>.</summary>
    public void Apply(HttpRequestMessage request)
    {
        lock (sync)
        {
            jar.Apply(request);
        }
    }

    /// <summary>Takes the answer's <c>Set-Cookie</c> headers.</summary>
    public void Update(HttpResponseHeaders headers)
    {
        lock (sync)
        {
            jar.Update(headers);
        }
    }

    /// <summary>Starts the ledger at <paramref name="value"/> (the counter's value now).</summary>
    public void ResetCounter(long value)
    {
        lock (sync)
        {
            baseline = value;
            acknowledged = 0;
        }
    }

    /// <summary>Notes an increment answered <paramref name="value"/>.</summary>
    /// <returns>True when the answer shows a brand-new session (value 1 on a session that had counted before): the session was lost.</returns>
    public bool Acknowledge(long value)
    {
        lock (sync)
        {
            if (value == 1 && baseline + acknowledged >= 1)
            {
                // A fresh session answered: what the old one held is gone. Count from the new one on.
                baseline = 0;
                acknowledged = 1;
                return true;
            }

            acknowledged++;
            return false;
        }
    }

    /// <summary>
    /// Increments answered 200 whose effect is missing from <paramref name="finalValue"/>, the answer of one more
    /// increment sent after the run (so the counter held <c>finalValue - 1</c>). An increment whose answer was lost may
    /// have been committed and hide one loss: the count is a lower bound.
    /// </summary>
    public long LostIncrements(long finalValue)
    {
        lock (sync)
        {
            return Math.Max(0, baseline + acknowledged - (finalValue - 1));
        }
    }
}
