using System.Text;

namespace Stickless.Lab.Abuse;

/// <summary>
/// What no hostile answer may ever contain: the real users' canary values, their user names and their session ids.
/// Thread-safe; secrets are added as the real users sign in and searched for, as bytes, in every hostile answer's head
/// and body.
/// </summary>
internal sealed class LeakScanner
{
    private readonly Lock gate = new();
    private readonly List<(string What, byte[] Bytes)> secrets = [];

    /// <summary>How many secrets are watched.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return secrets.Count;
            }
        }
    }

    /// <summary>Adds a secret; <paramref name="what"/> names it in a report without repeating it (<c>canary of user 3</c>).</summary>
    public void Add(string what, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        lock (gate)
        {
            secrets.Add((what, Encoding.UTF8.GetBytes(secret)));
        }
    }

    /// <summary>The first secret found in the answer, by its description; null when none.</summary>
    public string? Find(RawHttpResponse response)
    {
        (string What, byte[] Bytes)[] watched;
        lock (gate)
        {
            watched = [.. secrets];
        }

        if (watched.Length == 0)
        {
            return null;
        }

        var head = Encoding.Latin1.GetBytes(string.Join("\n", response.Headers.Select(static h => h.Key + ": " + h.Value)));
        foreach (var (what, bytes) in watched)
        {
            if (head.AsSpan().IndexOf(bytes) >= 0 || response.Body.AsSpan().IndexOf(bytes) >= 0)
            {
                return what;
            }
        }

        return null;
    }
}
