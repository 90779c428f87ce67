using Stickless.AspNetCore;

namespace Festa.Http;

/// <summary>Finds the signed-in user of a request.</summary>
public static class SignedInSession
{
    /// <summary>
    /// True when the request's session is available and bound to a principal. A session the store could
    /// not load (a fail-open policy) is never treated as signed in.
    /// </summary>
    public static bool TryGet(HttpContext context, out ISticklessSession session, out string username)
    {
        session = context.GetSticklessSession();

        // Under fail-closed a failed load surfaces on the first touch (503), never as "not signed in" (401).
        if (session.Principal is { Length: > 0 } principal && session.IsAvailable)
        {
            username = principal;
            return true;
        }

        username = string.Empty;
        return false;
    }
}
