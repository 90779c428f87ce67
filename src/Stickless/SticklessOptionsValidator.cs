using Microsoft.Extensions.Options;

namespace Stickless;

/// <summary>Checks at start-up that <see cref="SticklessOptions.Store"/> names a registered store, listing the registered ones.</summary>
internal sealed class SticklessOptionsValidator<TOptions>(IEnumerable<SessionStoreRegistration> stores) : IValidateOptions<TOptions>
    where TOptions : SticklessOptions
{
    private readonly SessionStoreRegistration[] _stores = [.. stores];

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Store) || _stores.Any(s => string.Equals(s.Name, options.Store, StringComparison.OrdinalIgnoreCase)))
        {
            return ValidateOptionsResult.Success;
        }

        var known = string.Join(", ", _stores.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase));
        return ValidateOptionsResult.Fail($"Stickless: {nameof(SticklessOptions.Store)} is '{options.Store}', which is not registered; registered stores: {known}. Add the store's package and call its Add method on the builder AddStickless returns (for example AddRedis()).");
    }
}
