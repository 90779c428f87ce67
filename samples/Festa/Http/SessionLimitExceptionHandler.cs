using Microsoft.AspNetCore.Diagnostics;
using Stickless;

namespace Festa.Http;

/// <summary>
/// Answers a write the session cannot hold (<see cref="SessionLimitExceededException"/>: too many attributes, a value
/// or a total too large) with a 422 problem naming the limit, from whichever endpoint it came (a preference, the
/// counter, the wishlist), instead of a 500. The client asked for more than a session may hold; nothing was stored.
/// </summary>
public sealed class SessionLimitExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SessionLimitExceededException limit || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Session limit reached",
                Detail = $"The session cannot hold this change: {limit.LimitName ?? "a session limit"} is {limit.Limit}.",
            },
        });
    }
}
