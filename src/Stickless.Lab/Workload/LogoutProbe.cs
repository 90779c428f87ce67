using System.Security.Cryptography;

namespace Stickless.Lab.Workload;

/// <summary>
/// How long a logout on one node goes unseen on another, timed with real requests to two nodes directly (not through
/// HAProxy): sign in on node 1, read <c>GET /me</c> twice on node 2 (a node with a near cache now holds a copy), log out on
/// node 1, then ask node 2 with the pre-logout cookie until it refuses. A trial's figure is the time from the logout's
/// answer to the start of the last request node 2 still answered as signed in (0 when the first one was refused).
/// </summary>
internal static class LogoutProbe
{
    // A session that stays signed in longer than this after its logout is a failure of its own, not a delay.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="trials"/> logouts; null when fewer than two nodes, or no trial could be run.</summary>
    public static async Task<LogoutProbeResult?> MeasureAsync(IReadOnlyList<Uri> nodes, int trials, TimeProvider time, CancellationToken ct)
    {
        if (nodes.Count < 2 || trials < 1)
        {
            return null;
        }

        var options = new WorkloadOptions();
        using var first = new SessionLoadClient(nodes[0], options, time);
        using var second = new SessionLoadClient(nodes[1], options, time);
        var username = "lo" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        if ((await first.SignUpAsync(username, options.Password, ct).ConfigureAwait(false)).Outcome != FestaOutcome.Ok)
        {
            return null;
        }

        var unseen = new List<double>(trials);
        long stale = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var session = new LoadSession(username);
            if ((await first.LogInAsync(session, username, options.Password, ct).ConfigureAwait(false)).Outcome != FestaOutcome.Ok
                || (await second.GetMeAsync(session, ct).ConfigureAwait(false)).Value != username
                || (await second.GetMeAsync(session, ct).ConfigureAwait(false)).Value != username)
            {
                continue;
            }

            var held = session.CopyCookies(username);
            if ((await first.LogOutAsync(session, ct).ConfigureAwait(false)).Outcome != FestaOutcome.Ok)
            {
                continue;
            }

            var answeredAt = time.GetTimestamp();
            var lastStale = TimeSpan.Zero;
            while (time.GetElapsedTime(answeredAt) < GiveUpAfter)
            {
                var started = time.GetTimestamp();
                var me = await second.GetMeAsync(held.CopyCookies(username), ct).ConfigureAwait(false);
                if (me.Outcome != FestaOutcome.Ok)
                {
                    break;
                }

                stale++;
                lastStale = time.GetElapsedTime(answeredAt, started);
            }

            unseen.Add(lastStale.TotalMilliseconds);
        }

        if (unseen.Count == 0)
        {
            return null;
        }

        unseen.Sort();
        return new LogoutProbeResult(
            unseen.Count,
            stale,
            Math.Round(unseen[unseen.Count / 2], 3),
            Math.Round(unseen[Math.Max(0, (int)Math.Ceiling(unseen.Count * 0.99) - 1)], 3),
            Math.Round(unseen[^1], 3));
    }
}
