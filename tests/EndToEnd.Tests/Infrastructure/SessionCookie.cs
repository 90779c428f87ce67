namespace EndToEnd.Tests.Infrastructure;

/// <summary>The session cookie as Festa uses it: the library's default name, on plain HTTP.</summary>
public static class SessionCookie
{
    /// <summary>The cookie name (Stickless's default; no <c>__Host-</c> prefix on plain HTTP).</summary>
    public const string Name = "stickless";

    /// <summary>
    /// The session id a response sets: null when it has no session Set-Cookie, empty when it clears the cookie.
    /// </summary>
    public static string? FromResponse(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return null;
        }

        string? found = null;
        foreach (var header in values)
        {
            var pair = header.Split(';', 2)[0];
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && pair[..separator].Trim() == Name)
            {
                found = pair[(separator + 1)..].Trim();
            }
        }

        return found;
    }

    /// <summary>A Cookie request header carrying <paramref name="value"/> as the session id.</summary>
    public static string Header(string value) => $"{Name}={value}";
}
