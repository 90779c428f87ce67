using Festa.Http;
using Stickless.AspNetCore;

namespace Festa.Accounts;

/// <summary><c>POST /signup</c>, <c>POST /login</c>, <c>POST /logout</c> and <c>GET /me</c>.</summary>
public static class AccountEndpoints
{
    /// <summary>Maps the account endpoints.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/signup", SignUpAsync);
        endpoints.MapPost("/login", LogInAsync);
        endpoints.MapPost("/logout", LogOutAsync);
        endpoints.MapGet("/me", Me);
        return endpoints;
    }

    /// <summary>201 with the new user; 409 when the name is taken; 400 for invalid credentials.</summary>
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

    /// <summary>200 and a new session id (the sign-in rotates it); 401 on bad credentials.</summary>
    private static async Task<IResult> LogInAsync(HttpContext context, UserDirectory users, PasswordHasher hasher, CancellationToken cancellationToken)
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

        var session = context.GetSticklessSession();
        if (!session.IsAvailable)
        {
            return SessionUnavailable();
        }

        await session.SignInAsync(user!.Username, cancellationToken);
        return TypedResults.Ok(new { username = user.Username });
    }

    /// <summary>204 once the session is deleted from the store (so on every node); 401 when not signed in.</summary>
    private static async Task<IResult> LogOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!SignedInSession.TryGet(context, out var session, out _))
        {
            return Problems.SignInRequired();
        }

        await session.InvalidateAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Who the session belongs to, and which node answered. Never the session id.</summary>
    private static IResult Me(HttpContext context, NodeIdentity node)
    {
        if (!SignedInSession.TryGet(context, out var session, out var username))
        {
            return Problems.SignInRequired();
        }

        return TypedResults.Ok(new
        {
            username,
            createdAt = session.CreatedAt,
            lastAccessedAt = session.LastAccessedAt,
            node = node.NameFor(context),
        });
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

    private static IResult SessionUnavailable() =>
        Problems.Status(StatusCodes.Status503ServiceUnavailable, "Session store unavailable", "Sessions cannot be stored right now; try again shortly.");
}
