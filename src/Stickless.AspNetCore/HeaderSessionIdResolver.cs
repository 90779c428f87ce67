using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>
/// Carries the id in a request and response header (<see cref="SticklessHttpOptions.HeaderName"/>), for API
/// clients without a cookie jar. Inactive when the header name is null.
/// </summary>
internal sealed class HeaderSessionIdResolver : ISessionIdResolver
{
    public const string ResolverName = "Header";

    private readonly string? _headerName;
    private readonly int _maxLength;

    public HeaderSessionIdResolver(IOptions<SticklessHttpOptions> options)
    {
        _headerName = options.Value.HeaderName;
        _maxLength = options.Value.Cookie.MaxLength;
    }

    public string Name => ResolverName;

    public bool TryGetId(HttpContext context, out string? id)
    {
        id = null;
        if (_headerName is null || !context.Request.Headers.TryGetValue(_headerName, out var values))
        {
            return false;
        }

        // Several values (or a list) cannot be one id: present, but unusable.
        if (values.Count == 1 && values[0] is { } value && value.Length <= _maxLength)
        {
            id = value.Trim();
        }

        return true;
    }

    public void WriteId(HttpContext context, string id, DateTimeOffset expires)
    {
        if (_headerName is not null)
        {
            context.Response.Headers[_headerName] = id;
        }
    }

    // An empty value tells the client its id is gone.
    public void ClearId(HttpContext context)
    {
        if (_headerName is not null)
        {
            context.Response.Headers[_headerName] = string.Empty;
        }
    }
}
