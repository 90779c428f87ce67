using System.Security.Cryptography;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>Test users: unique names, one valid password.</summary>
public static class Users
{
    /// <summary>A valid password (8 to 128 characters).</summary>
    public const string Password = "correct-horse-battery";

    /// <summary>A new user name no test has used: prefix, underscore, 10 random [a-z0-9].</summary>
    public static string NewName(string prefix) =>
        $"{prefix}_{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 10)}";
}
