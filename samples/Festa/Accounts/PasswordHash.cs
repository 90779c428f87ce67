using System.Security.Cryptography;

namespace Festa.Accounts;

/// <summary>A stored password: PBKDF2-HMAC-SHA256 with its salt and iteration count.</summary>
/// <param name="Iterations">The iteration count the hash was made with.</param>
/// <param name="Salt">16 random bytes.</param>
/// <param name="Hash">32 bytes of derived key.</param>
public sealed record PasswordHash(int Iterations, byte[] Salt, byte[] Hash)
{
    /// <summary>The only algorithm written today; stored so that a later one can be told apart.</summary>
    public const string Algorithm = "PBKDF2-HMAC-SHA256";

    /// <summary>Salt length in bytes.</summary>
    public const int SaltBytes = 16;

    /// <summary>Derived key length in bytes.</summary>
    public const int HashBytes = 32;

    /// <summary>Hashes <paramref name="password"/> with a fresh salt.</summary>
    public static PasswordHash Create(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordHash(iterations, salt, Derive(password, salt, iterations, HashBytes));
    }

    /// <summary>True when <paramref name="password"/> is the one hashed here; compares in constant time.</summary>
    public bool Verify(string password) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, Salt, Iterations, Hash.Length), Hash);

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
}
