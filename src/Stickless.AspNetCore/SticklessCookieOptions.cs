using Microsoft.AspNetCore.Http;

namespace Stickless.AspNetCore;

/// <summary>The session cookie.</summary>
public sealed class SticklessCookieOptions
{
    /// <summary>The prefix browsers accept only on secure, host-only cookies with path <c>/</c> (RFC 6265bis).</summary>
    public const string HostPrefix = "__Host-";

    /// <summary>The prefix browsers accept only on secure cookies.</summary>
    public const string SecurePrefix = "__Secure-";

    /// <summary>
    /// The cookie name. Default <c>stickless</c>. When <see cref="SecurePolicy"/> is
    /// <see cref="CookieSecurePolicy.Always"/>, <see cref="Path"/> is <c>/</c> and <see cref="Domain"/> is null,
    /// the <c>__Host-</c> prefix is added (see <see cref="EffectiveName"/>), so the browser refuses the cookie
    /// from an insecure origin or a sibling domain.
    /// </summary>
    public string Name { get; set; } = "stickless";

    /// <summary>Whether scripts are kept away from the cookie. Default true.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>The SameSite attribute. Default <see cref="SameSiteMode.Lax"/>.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>When the cookie is marked Secure. Default <see cref="CookieSecurePolicy.SameAsRequest"/> (Secure on HTTPS requests).</summary>
    public CookieSecurePolicy SecurePolicy { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>The cookie path. Default <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The cookie domain. Default null (host-only).</summary>
    public string? Domain { get; set; }

    /// <summary>
    /// When true the cookie carries <c>Expires</c> = the session's absolute expiry, so it survives a browser
    /// restart. Default false: a session cookie, forgotten when the browser closes.
    /// </summary>
    public bool Persistent { get; set; }

    /// <summary>
    /// The longest incoming cookie value accepted, in characters. Default 128. A longer value is treated as
    /// absent (a fresh session), without being parsed or looked up.
    /// </summary>
    public int MaxLength { get; set; } = 128;

    /// <summary>The name actually used: <see cref="Name"/>, with <c>__Host-</c> added when the settings allow it.</summary>
    public string EffectiveName =>
        SecurePolicy == CookieSecurePolicy.Always && Path == "/" && Domain is null
            && !Name.StartsWith(HostPrefix, StringComparison.Ordinal) && !Name.StartsWith(SecurePrefix, StringComparison.Ordinal)
            ? HostPrefix + Name
            : Name;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        const string Section = "Cookie";
        if (string.IsNullOrWhiteSpace(Name) || !IsToken(Name))
        {
            errors.Add($"{Section}:{nameof(Name)} must be a non-empty cookie name without separators (was '{Name}').");
        }

        if (string.IsNullOrEmpty(Path) || Path[0] != '/')
        {
            errors.Add($"{Section}:{nameof(Path)} must start with '/' (was '{Path}').");
        }

        if (!Enum.IsDefined(SameSite))
        {
            errors.Add($"{Section}:{nameof(SameSite)} is not a SameSiteMode (was {(int)SameSite}).");
        }

        if (!Enum.IsDefined(SecurePolicy))
        {
            errors.Add($"{Section}:{nameof(SecurePolicy)} is not a CookieSecurePolicy (was {(int)SecurePolicy}).");
        }

        if (SameSite == SameSiteMode.None && SecurePolicy != CookieSecurePolicy.Always)
        {
            errors.Add($"{Section}:{nameof(SameSite)}=None requires {nameof(SecurePolicy)}=Always (browsers drop SameSite=None cookies that are not Secure).");
        }

        if (Name is not null && Name.StartsWith(HostPrefix, StringComparison.Ordinal) && (SecurePolicy != CookieSecurePolicy.Always || Path != "/" || Domain is not null))
        {
            errors.Add($"{Section}:{nameof(Name)} '{Name}' has the __Host- prefix, which requires {nameof(SecurePolicy)}=Always, {nameof(Path)}='/' and no {nameof(Domain)}.");
        }

        if (Name is not null && Name.StartsWith(SecurePrefix, StringComparison.Ordinal) && SecurePolicy != CookieSecurePolicy.Always)
        {
            errors.Add($"{Section}:{nameof(Name)} '{Name}' has the __Secure- prefix, which requires {nameof(SecurePolicy)}=Always.");
        }

        if (MaxLength < SessionIds.EncodedLength || MaxLength > 4096)
        {
            errors.Add($"{Section}:{nameof(MaxLength)} must be between {SessionIds.EncodedLength} and 4096 (was {MaxLength}).");
        }
    }

    // RFC 6265 cookie-name = token (RFC 7230): visible ASCII except separators.
    internal static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
