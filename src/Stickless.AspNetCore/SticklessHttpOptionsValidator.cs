using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>Validates <see cref="SticklessHttpOptions"/> at start-up, listing every error in one failure.</summary>
internal sealed class SticklessHttpOptionsValidator : IValidateOptions<SticklessHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, SticklessHttpOptions options)
    {
        var errors = new List<string>();
        options.Validate(errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.StartsWith("Stickless", StringComparison.Ordinal) ? e : "Stickless: " + e));
    }
}
