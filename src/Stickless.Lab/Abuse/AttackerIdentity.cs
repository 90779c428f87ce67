namespace Stickless.Lab.Abuse;

/// <summary>
/// What one attacker holds of its own: a signed-in account and a session it filled to the attribute limit. Abusing
/// its own session is how an attacker reaches the store with the largest sessions a node must load.
/// </summary>
/// <param name="Username">Its account.</param>
/// <param name="SessionId">Its signed-in session's id.</param>
/// <param name="FullSessionId">An anonymous session of its own holding as many attributes as a session may (null when it could not fill one).</param>
internal sealed record AttackerIdentity(string Username, string SessionId, string? FullSessionId);
