using Microsoft.AspNetCore.Http;

namespace Stickless.AspNetCore;

/// <summary>Access to the request's <see cref="ISticklessSession"/>.</summary>
public static class SticklessHttpContextExtensions
{
    /// <summary>The request's session (the same session as <c>HttpContext.Session</c>, with the rich API).</summary>
    /// <exception cref="InvalidOperationException">The Stickless middleware did not run for this request (<c>app.UseStickless()</c> is missing or comes after the endpoint).</exception>
    public static ISticklessSession GetSticklessSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ISticklessSession>()
            ?? throw new InvalidOperationException("No Stickless session for this request: call services.AddStickless() and app.UseStickless() before the endpoints that use the session.");
    }
}
