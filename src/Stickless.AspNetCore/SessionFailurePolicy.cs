namespace Stickless.AspNetCore;

/// <summary>What a request does when its session cannot be loaded or committed (store down, slow or answering wrongly).</summary>
public enum SessionFailurePolicy
{
    /// <summary>
    /// The default: the request is answered with HTTP 503 and a <c>Retry-After</c> header, and is never
    /// treated as signed in. A failed commit after the handler wrote its body replaces the whole response
    /// (status, headers and body) with the empty 503.
    /// </summary>
    FailClosed,

    /// <summary>
    /// The request continues with an empty, anonymous session that is never stored
    /// (<see cref="ISticklessSession.IsAvailable"/> is false); a failed commit leaves the response as the
    /// handler wrote it. Each failure is logged and counted. Operations that must reach the store now
    /// (<c>UpdateAsync</c>, <c>SignInAsync</c>, ...) still throw <see cref="SessionStoreUnavailableException"/>.
    /// </summary>
    Degrade,
}
