using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Stickless.Redis;

/// <summary>
/// Reads the store's durability settings from configuration (section <c>Stickless:Redis</c>):
/// <c>WaitForReplicas</c> (an integer), <c>WaitTimeout</c> (milliseconds, or a time span such as
/// <c>00:00:00.5</c>) and <c>WaitFailurePolicy</c> (<c>FailRequest</c> | <c>AcceptAndCount</c>). Absent keys
/// leave the defaults. Parsed by hand rather than bound, so that "500" means 500 ms, not 500 days.
/// </summary>
internal static class RedisSessionStoreConfiguration
{
    public const string Section = "Stickless:Redis";

    /// <summary>Applies the settings present; throws listing every malformed one.</summary>
    /// <exception cref="InvalidOperationException">A setting is malformed.</exception>
    public static void Apply(IConfiguration configuration, RedisSessionStoreOptions options)
    {
        var section = configuration.GetSection(Section);
        var errors = new List<string>();
        if (section[nameof(RedisSessionStoreOptions.WaitForReplicas)] is { Length: > 0 } replicas)
        {
            if (int.TryParse(replicas, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) { options.WaitForReplicas = n; }
            else { errors.Add($"{Section}:{nameof(RedisSessionStoreOptions.WaitForReplicas)} must be a non-negative integer (was '{replicas}')."); }
        }

        if (section[nameof(RedisSessionStoreOptions.WaitTimeout)] is { Length: > 0 } timeout)
        {
            if (int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) { options.WaitTimeout = TimeSpan.FromMilliseconds(ms); }
            else if (TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var span)) { options.WaitTimeout = span; }
            else { errors.Add($"{Section}:{nameof(RedisSessionStoreOptions.WaitTimeout)} must be milliseconds or a time span such as 00:00:00.5 (was '{timeout}')."); }
        }

        if (section[nameof(RedisSessionStoreOptions.WaitFailurePolicy)] is { Length: > 0 } policy)
        {
            if (Enum.TryParse<RedisWaitFailurePolicy>(policy, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(policy[0]))
            {
                options.WaitFailurePolicy = parsed;
            }
            else
            {
                errors.Add($"{Section}:{nameof(RedisSessionStoreOptions.WaitFailurePolicy)} must be FailRequest or AcceptAndCount (was '{policy}').");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Redis session store settings: " + string.Join(" ", errors));
        }
    }
}
