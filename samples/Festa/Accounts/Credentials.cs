namespace Festa.Accounts;

/// <summary>The body of <c>POST /signup</c> and <c>POST /login</c>.</summary>
/// <param name="Username">3 to 32 characters from <c>a-z</c>, <c>0-9</c>, <c>_</c> and <c>-</c>.</param>
/// <param name="Password">8 to 128 characters.</param>
public sealed record Credentials(string? Username, string? Password)
{
    /// <summary>The shortest user name.</summary>
    public const int MinUsernameLength = 3;

    /// <summary>The longest user name.</summary>
    public const int MaxUsernameLength = 32;

    /// <summary>The shortest password.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest password (also bounds the cost of hashing an attacker's input).</summary>
    public const int MaxPasswordLength = 128;

    /// <summary>Every rule the credentials break, by field; empty when they are valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(Username))
        {
            errors["username"] = ["username is required."];
        }
        else if (Username.Length is < MinUsernameLength or > MaxUsernameLength || !Username.All(IsUsernameChar))
        {
            errors["username"] = [$"username must be {MinUsernameLength} to {MaxUsernameLength} characters from a-z, 0-9, '_' and '-'."];
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors["password"] = ["password is required."];
        }
        else if (Password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            errors["password"] = [$"password must be {MinPasswordLength} to {MaxPasswordLength} characters."];
        }

        return errors;
    }

    private static bool IsUsernameChar(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-';
}
