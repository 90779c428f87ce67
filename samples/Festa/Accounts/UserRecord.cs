namespace Festa.Accounts;

/// <summary>One line of the user directory file.</summary>
/// <param name="Username">The user name (the session principal).</param>
/// <param name="Algorithm">Always <see cref="PasswordHash.Algorithm"/> today.</param>
/// <param name="Iterations">PBKDF2 iterations.</param>
/// <param name="Salt">The salt, base64.</param>
/// <param name="Hash">The derived key, base64.</param>
/// <param name="CreatedAt">When the user signed up.</param>
public sealed record UserRecord(string Username, string Algorithm, int Iterations, byte[] Salt, byte[] Hash, DateTimeOffset CreatedAt)
{
    /// <summary>Makes the record of a new user.</summary>
    public static UserRecord Create(string username, PasswordHash password, DateTimeOffset createdAt) =>
        new(username, PasswordHash.Algorithm, password.Iterations, password.Salt, password.Hash, createdAt);

    /// <summary>The stored password.</summary>
    public PasswordHash ToPasswordHash() => new(Iterations, Salt, Hash);
}
