using System.Net.Http.Headers;

namespace Stickless.Lab.Dashboard;

/// <summary>
/// The probe's cookies: a browser's jar reduced to name → value. Kept by hand because the loopback lab speaks
/// plain HTTP, where a framework jar would drop cookies marked Secure that a browser on localhost keeps.
/// </summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    /// <summary>A jar holding the same cookies: another browser that was handed them (the lab's fixation check).</summary>
    public CookieJar Clone()
    {
        var copy = new CookieJar();
        foreach (var (name, value) in cookies)
        {
            copy.cookies[name] = value;
        }

        return copy;
    }

    /// <summary>Adds the jar's cookies to a request.</summary>
    public void Apply(HttpRequestMessage request)
    {
        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        }
    }

    /// <summary>Takes the response's Set-Cookie headers; an expired or empty cookie is removed.</summary>
    public void Update(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            var parts = value.Split(';', StringSplitOptions.TrimEntries);
            var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = parts[0][..equals];
            var content = parts[0][(equals + 1)..];
            var expired = parts.Skip(1).Any(p =>
                p.StartsWith("max-age=0", StringComparison.OrdinalIgnoreCase)
                || (p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                    && DateTimeOffset.TryParse(p[8..], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                    && at < DateTimeOffset.UtcNow));
            if (expired || content.Length == 0)
            {
                cookies.Remove(name);
            }
            else
            {
                cookies[name] = content;
            }
        }
    }
}
