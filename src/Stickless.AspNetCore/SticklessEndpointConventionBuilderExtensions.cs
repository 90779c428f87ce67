using Stickless.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions for Stickless.</summary>
public static class SticklessEndpointConventionBuilderExtensions
{
    /// <summary>
    /// The endpoints never use the session: the Stickless middleware skips them (no store call, no cookie, no commit), so
    /// they answer normally whatever the store's state. Requires routing to run before <c>UseStickless</c> (a
    /// <c>WebApplication</c> does that by default).
    /// </summary>
    public static TBuilder WithoutSession<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new WithoutSessionAttribute());
    }
}
