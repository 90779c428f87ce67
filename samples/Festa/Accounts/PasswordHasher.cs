using Microsoft.Extensions.Options;

namespace Festa.Accounts;

/// <summary>Hashes and checks passwords at the configured cost, and spends the same time on unknown users.</summary>
public sealed class PasswordHasher
{
    private readonly int _iterations;
    private readonly PasswordHash _decoy;

    /// <summary>Creates the hasher with <see cref="FestaOptions.PasswordIterations"/>.</summary>
    public PasswordHasher(IOptions<FestaOptions> options)
    {
        _iterations = options.Value.PasswordIterations;
        if (_iterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _iterations, "Festa:PasswordIterations must be at least 1.");
        }

        _decoy = PasswordHash.Create("decoy password for unknown users", _iterations);
    }

    /// <summary>Hashes a new password.</summary>
    public PasswordHash Hash(string password) => PasswordHash.Create(password, _iterations);

    /// <summary>
    /// True when <paramref name="user"/> exists and <paramref name="password"/> is theirs. An unknown user
    /// costs one hash too, so answer times do not tell which user names exist.
    /// </summary>
    public bool Verify(UserRecord? user, string password)
    {
        if (user is null || user.Algorithm != PasswordHash.Algorithm)
        {
            _decoy.Verify(password);
            return false;
        }

        return user.ToPasswordHash().Verify(password);
    }
}
