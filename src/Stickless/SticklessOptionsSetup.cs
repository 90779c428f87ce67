using Microsoft.Extensions.Options;

namespace Stickless;

/// <summary>Applies every <see cref="SticklessOptionsAction"/> to the options the application registered.</summary>
internal sealed class SticklessOptionsSetup<TOptions>(IEnumerable<SticklessOptionsAction> actions) : IConfigureOptions<TOptions>
    where TOptions : SticklessOptions
{
    private readonly SticklessOptionsAction[] _actions = [.. actions];

    public void Configure(TOptions options)
    {
        foreach (var action in _actions)
        {
            action.Apply(options);
        }
    }
}
