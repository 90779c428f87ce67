namespace Festa;

/// <summary>Festa's own settings, bound from the <c>Festa</c> configuration section.</summary>
public sealed class FestaOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Festa";

    /// <summary>
    /// OWASP's Password Storage Cheat Sheet asks for 600,000 PBKDF2-HMAC-SHA256 iterations. One hash takes
    /// about 140 ms on the lab machine (one core), which caps logins near 7 per second per core; the lab may
    /// lower it with <c>--Festa:PasswordIterations</c>. Each stored user keeps the count it was hashed with.
    /// </summary>
    public const int OwaspIterations = 600_000;

    /// <summary>The name in <c>X-Served-By</c> and <c>/me</c>. Default: <c>festa-</c> and the port the request came in on.</summary>
    public string? NodeName { get; set; }

    /// <summary>The JSON-lines user directory, shared by every node on one machine. Default: <c>App_Data/users.jsonl</c> under the content root.</summary>
    public string? UsersFile { get; set; }

    /// <summary>PBKDF2 iterations for new password hashes. Default <see cref="OwaspIterations"/>.</summary>
    public int PasswordIterations { get; set; } = OwaspIterations;

    /// <summary>True to create the demo users (alice, bob, carol) at start when they are missing. Default true.</summary>
    public bool SeedDemoUsers { get; set; } = true;
}
