using System.Globalization;
using Festa;
using Festa.Accounts;
using Festa.Http;

namespace AspNetCoreRedisPeer;

/// <summary><c>POST /signup</c>, <c>POST /login</c>, <c>POST /logout</c> and <c>GET /me</c> on <c>HttpContext.Session</c>.</summary>
public static class PeerAccountEndpoints
{
    /// <summary>Maps the account endpoints.</summary>
    public static IEndpointRouteBuilder MapPeerAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/signup", SignUpAsync);
        endpoints.MapPost("/login", LogInAsync);
        endpoints.MapPost("/logout", LogOutAsync);
        endpoints.MapGet("/me", MeAsync);
        return endpoints;
    }

    private static async Task<IResult> SignUpAsync(HttpRequest request, UserDirectory users, PasswordHasher hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        var (credentials, problem) = await ReadCredentialsAsync(request, cancellationToken);
        if (credentials is null)
        {
            return problem!;
        }

        if (await users.FindAsync(credentials.Username!, cancellationToken) is not null)
        {
            return Taken(credentials.Username!);
        }

        var user = UserRecord.Create(credentials.Username!, hasher.Hash(credentials.Password!), time.GetUtcNow());
        return await users.TryAddAsync(user, cancellationToken)
            ? TypedResults.Created("/me", new { username = user.Username })
            : Taken(user.Username);
    }

    /// <summary>
    /// Puts the user name in the session. ASP.NET Core Session has no way to give a session a new id, so the id the
    /// browser had before signing in is the signed-in id (session fixation); what the docs offer is this.
    /// </summary>
    private static async Task<IResult> LogInAsync(HttpContext context, UserDirectory users, PasswordHasher hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        var (credentials, problem) = await ReadCredentialsAsync(context.Request, cancellationToken);
        if (credentials is null)
        {
            return problem!;
        }

        var user = await users.FindAsync(credentials.Username!, cancellationToken);
        if (!hasher.Verify(user, credentials.Password!))
        {
            return Problems.Status(StatusCodes.Status401Unauthorized, "Login failed", "Unknown user name or wrong password.");
        }

        await context.Session.LoadAsync(cancellationToken);
        context.Session.SetString(PeerSessionKeys.Username, user!.Username);
        context.Session.SetString(PeerSessionKeys.CreatedAt, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        return TypedResults.Ok(new { username = user.Username });
    }

    /// <summary>Empties the session (<c>Session.Clear()</c>, as the docs show); the cookie keeps naming the now empty session.</summary>
    private static async Task<IResult> LogOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.Session.LoadAsync(cancellationToken);
        if (context.Session.GetString(PeerSessionKeys.Username) is null)
        {
            return Problems.SignInRequired();
        }

        context.Session.Clear();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Who is signed in. The session has no last-access time of its own: the request that reads it is its last access.
    /// </summary>
    private static async Task<IResult> MeAsync(HttpContext context, NodeIdentity node, TimeProvider time, CancellationToken cancellationToken)
    {
        await context.Session.LoadAsync(cancellationToken);
        var username = context.Session.GetString(PeerSessionKeys.Username);
        if (username is null)
        {
            return Problems.SignInRequired();
        }

        var now = time.GetUtcNow();
        var createdAt = DateTimeOffset.TryParse(context.Session.GetString(PeerSessionKeys.CreatedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed
            : now;
        return TypedResults.Ok(new { username, createdAt, lastAccessedAt = now, node = node.NameFor(context) });
    }

    private static async Task<(Credentials? Value, IResult? Problem)> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (credentials, problem) = await JsonBody.ReadAsync<Credentials>(request, cancellationToken);
        if (credentials is null)
        {
            return (null, problem);
        }

        var errors = credentials.Validate();
        return errors.Count == 0 ? (credentials, null) : (null, Problems.Invalid(errors));
    }

    private static IResult Taken(string username) =>
        Problems.Status(StatusCodes.Status409Conflict, "User name taken", $"The user name '{username}' is taken; choose another.");
}
