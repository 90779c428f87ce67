namespace Stickless.AspNetCore;

/// <summary>
/// Endpoint metadata: the endpoint never uses the session, so the Stickless middleware skips it entirely (no store call, no
/// cookie, no commit), and a store outage cannot touch it. Add it with <c>.WithoutSession()</c> or
/// <see cref="WithoutSessionAttribute"/>; <c>HttpContext.Session</c> then throws, as without session middleware.
/// </summary>
public interface IWithoutSessionMetadata
{
}
