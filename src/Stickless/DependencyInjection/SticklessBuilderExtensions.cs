using Stickless;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How store packages plug into <see cref="ISticklessBuilder"/>.</summary>
public static class SticklessBuilderExtensions
{
    /// <summary>
    /// Makes a store available under <paramref name="name"/> (a later registration of the same name wins). It is created
    /// only if <see cref="SticklessOptions.Store"/> names it.
    /// </summary>
    public static ISticklessBuilder AddStore(this ISticklessBuilder builder, string name, Func<IServiceProvider, ISessionStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(new SessionStoreRegistration(name, factory));
        return builder;
    }

    /// <summary>Selects the store named <paramref name="name"/>, overriding <c>Stickless:Store</c> and the <c>AddStickless</c> delegate.</summary>
    public static ISticklessBuilder UseStore(this ISticklessBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.ConfigureStickless(options => options.Store = name);
    }

    /// <summary>Changes the Stickless options after the configuration section and the <c>AddStickless</c> delegate have applied.</summary>
    public static ISticklessBuilder ConfigureStickless(this ISticklessBuilder builder, Action<SticklessOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new SticklessOptionsAction(configure));
        return builder;
    }
}
