using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>
/// Turns a <see cref="SessionStoreUnavailableException"/> that escaped outside the session middleware (from the ticket store,
/// when authentication runs before <c>UseStickless</c>; from a background use of the session manager in a request) into
/// the fail-closed 503, for applications that use <c>UseExceptionHandler</c>.
/// </summary>
internal sealed class SessionStoreUnavailableExceptionHandler(IOptions<SticklessHttpOptions> options) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SessionStoreUnavailableException || httpContext.Response.HasStarted)
        {
            return ValueTask.FromResult(false);
        }

        httpContext.Response.Clear();
        UnavailableResponse.Write(httpContext.Response, options.Value.RetryAfterSeconds, outerHeaders: null);
        return ValueTask.FromResult(true);
    }
}
