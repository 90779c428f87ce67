using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>Carries the id in the session cookie (<see cref="SticklessHttpOptions.Cookie"/>).</summary>
internal sealed class CookieSessionIdResolver : ISessionIdResolver
{
    public const string ResolverName = "Cookie";

    private readonly SticklessCookieOptions _cookie;
    private readonly string _name;

    public CookieSessionIdResolver(IOptions<SticklessHttpOptions> options)
    {
        _cookie = options.Value.Cookie;
        _name = _cookie.EffectiveName;
    }

    public string Name => ResolverName;

    public bool TryGetId(HttpContext context, out string? id)
    {
        if (!context.Request.Cookies.TryGetValue(_name, out var value))
        {
            id = null;
            return false;
        }

        // Oversized values are not even looked at: they cannot be an id this library issued.
        id = value is not null && value.Length <= _cookie.MaxLength ? value : null;
        return true;
    }

    public void WriteId(HttpContext context, string id, DateTimeOffset expires)
    {
        var options = CreateCookieOptions(context);
        if (_cookie.Persistent)
        {
            options.Expires = expires;
        }

        context.Response.Cookies.Append(_name, id, options);
    }

    public void ClearId(HttpContext context) => context.Response.Cookies.Delete(_name, CreateCookieOptions(context));

    private CookieOptions CreateCookieOptions(HttpContext context) => new()
    {
        HttpOnly = _cookie.HttpOnly,
        SameSite = _cookie.SameSite,
        Path = _cookie.Path,
        Domain = _cookie.Domain,
        IsEssential = true,
        Secure = _cookie.SecurePolicy switch
        {
            CookieSecurePolicy.Always => true,
            CookieSecurePolicy.None => false,
            _ => context.Request.IsHttps,
        },
    };
}
