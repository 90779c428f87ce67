using Microsoft.Extensions.Options;

namespace Festa.Accounts;

/// <summary>
/// Creates the <see cref="DemoUsers"/> at start, before the node takes requests. Several nodes may start
/// at once: the directory's locked append makes exactly one of them add each user.
/// </summary>
public sealed class DemoUserSeeder(UserDirectory users, PasswordHasher hasher, TimeProvider time, IOptions<FestaOptions> options) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDemoUsers)
        {
            return;
        }

        foreach (var (username, password) in DemoUsers.All)
        {
            if (await users.FindAsync(username, cancellationToken) is null)
            {
                await users.TryAddAsync(UserRecord.Create(username, hasher.Hash(password), time.GetUtcNow()), cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
