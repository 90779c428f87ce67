using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stickless;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one way Stickless and its stores bind and validate their options.</summary>
public static class SticklessOptionsBuilderExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="section"/> (when not null) with the configuration binder,
    /// applies <paramref name="configure"/>, and validates at start-up: every value the binder could not convert and every
    /// error <see cref="IValidatedOptions.Validate"/> lists, in one <see cref="OptionsValidationException"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section to bind (for example <c>Stickless:Redis</c>), or null.</param>
    /// <param name="configure">Applied after binding, optional.</param>
    /// <param name="displayName">How messages name the options; defaults to the section's path or the type's name.</param>
    /// <param name="validateOnStart">
    /// True to fail the host's start on invalid options; false to fail where they are first resolved (a store's options:
    /// validated when the store is created, which happens at start only for the selected store).
    /// </param>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration? section, Action<TOptions>? configure = null, string? displayName = null, bool validateOnStart = true)
        where TOptions : class, IValidatedOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<TOptions>();
        if (section is not null)
        {
            builder.Configure(options => ConfigurationErrorCollectingBinder.Bind(section, options));
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        var name = displayName ?? (section as IConfigurationSection)?.Path ?? typeof(TOptions).Name;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new ValidatedOptionsValidator<TOptions>(name)));
        return validateOnStart ? builder.ValidateOnStart() : builder;
    }

    /// <summary>
    /// A store's options, the way every store package registers them: bound from the <paramref name="storeName"/> subsection
    /// of the Stickless section (<c>Stickless:Redis</c>, <c>Stickless:Memcached</c>, ...), then <paramref name="configure"/>;
    /// validated (every error in one <see cref="OptionsValidationException"/>) when the store is created, so a store that is
    /// registered but not selected never fails the start.
    /// </summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static OptionsBuilder<TOptions> AddStoreOptions<TOptions>(this ISticklessBuilder builder, string storeName, Action<TOptions>? configure = null)
        where TOptions : class, IValidatedOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        return builder.Services.AddValidatedOptions(builder.Configuration?.GetSection(storeName), configure, "Stickless:" + storeName, validateOnStart: false);
    }
}
