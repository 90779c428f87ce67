namespace Stickless;

/// <summary>Options that can list their own errors: Stickless's options and every store's.</summary>
public interface IValidatedOptions
{
    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    void Validate(ICollection<string> errors);
}
