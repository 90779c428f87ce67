using System.Security.Cryptography;

namespace Stickless.Lab.Workload;

/// <summary>
/// Session fixation, checked with a real login: a browser starts an anonymous session, signs in, and a second browser
/// holding only the cookies from before the login asks <c>GET /me</c>. Signed in means an attacker who planted the
/// pre-login id now shares the victim's signed-in session.
/// </summary>
internal static class FixationProbe
{
    /// <summary>
    /// True when the pre-login id is still signed in after the login, false when it is not; null when the probe could
    /// not tell (a step failed, or the signed-in session itself was not recognised, as with in-memory sessions behind
    /// round robin).
    /// </summary>
    public static async Task<bool?> CheckAsync(Uri frontend, TimeProvider time, CancellationToken ct)
    {
        var options = new WorkloadOptions();
        using var client = new SessionLoadClient(frontend, options, time);
        var username = "fx" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var signUp = await client.SignUpAsync(username, options.Password, ct).ConfigureAwait(false);
        if (signUp.Outcome != FestaOutcome.Ok)
        {
            return null;
        }

        var victim = new LoadSession(username);
        var anonymous = await client.IncrementCounterAsync(victim, ct).ConfigureAwait(false);
        if (anonymous.Outcome != FestaOutcome.Ok)
        {
            return null;
        }

        var planted = victim.CopyCookies(username);
        var login = await client.LogInAsync(victim, username, options.Password, ct).ConfigureAwait(false);
        var signedIn = await client.GetMeAsync(victim, ct).ConfigureAwait(false);
        if (login.Outcome != FestaOutcome.Ok || signedIn.Outcome != FestaOutcome.Ok || signedIn.Value != username)
        {
            return null;
        }

        var attacker = await client.GetMeAsync(planted, ct).ConfigureAwait(false);
        return attacker.Outcome switch
        {
            FestaOutcome.Ok => attacker.Value == username,
            FestaOutcome.Unauthorized => false,
            _ => null,
        };
    }
}
