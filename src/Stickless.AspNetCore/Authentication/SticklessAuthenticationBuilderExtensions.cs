using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stickless.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Cookie authentication with its tickets in the Stickless store.</summary>
public static class SticklessAuthenticationBuilderExtensions
{
    private const string BindingMessage = "Binds the options from configuration with the reflection-based configuration binder.";

    /// <summary>
    /// Keeps the tickets of the cookie-authentication scheme <paramref name="authenticationScheme"/> in the session store
    /// (<see cref="SticklessTicketStore"/>), so that revoking a user's sessions also ends their cookie sign-ins. Settings:
    /// section <c>Stickless:TicketStore</c> (<see cref="SticklessTicketStoreOptions"/>).
    /// </summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static ISticklessBuilder AddCookieTicketStore(this ISticklessBuilder builder, string authenticationScheme = CookieAuthenticationDefaults.AuthenticationScheme, Action<SticklessTicketStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        builder.Services.AddValidatedOptions(builder.Configuration?.GetSection("TicketStore"), configure, "Stickless:TicketStore");
        builder.Services.TryAddSingleton(static services => new SticklessTicketStore(
            services.GetRequiredService<SessionStoreClient>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<SticklessHttpOptions>>(),
            services.GetRequiredService<IOptions<SticklessTicketStoreOptions>>()));
        builder.Services.AddOptions<CookieAuthenticationOptions>(authenticationScheme)
            .Configure<SticklessTicketStore>(static (cookie, store) => cookie.SessionStore = store);
        return builder;
    }
}
