namespace Festa.Http;

/// <summary>RFC 9457 problem answers with a plain-language detail.</summary>
public static class Problems
{
    /// <summary>400 with <paramref name="detail"/>.</summary>
    public static IResult BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, "Bad request", detail);

    /// <summary>400 listing every invalid field.</summary>
    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "Some fields are missing or invalid; see errors.");

    /// <summary>401: the request needs a signed-in session.</summary>
    public static IResult SignInRequired() =>
        Status(StatusCodes.Status401Unauthorized, "Sign-in required", "Log in first (POST /login).");

    /// <summary>404 with <paramref name="detail"/>.</summary>
    public static IResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>An answer with <paramref name="statusCode"/>, <paramref name="title"/> and <paramref name="detail"/>.</summary>
    public static IResult Status(int statusCode, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: statusCode, title: title);
}
