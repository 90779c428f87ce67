using Microsoft.Extensions.Options;

namespace Stickless;

/// <summary>Validates options at start-up: the values the binder could not convert and every invalid setting, in one failure.</summary>
/// <param name="displayName">How the options are named in messages (for example <c>Stickless:Redis</c>).</param>
internal sealed class ValidatedOptionsValidator<TOptions>(string displayName) : IValidateOptions<TOptions>
    where TOptions : class, IValidatedOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = new List<string>(ConfigurationErrorCollectingBinder.ErrorsOf(options));
        var settings = new List<string>();
        options.Validate(settings);
        foreach (var error in settings)
        {
            errors.Add(error.StartsWith(displayName, StringComparison.Ordinal) ? error : $"{displayName}: {error}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
