using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the Stickless middleware to the pipeline.</summary>
public static class SticklessApplicationBuilderExtensions
{
    /// <summary>
    /// Loads each request's session before the rest of the pipeline runs and commits its changes before the
    /// response starts. Put it before the endpoints that use <c>HttpContext.Session</c> or
    /// <c>GetSticklessSession()</c> (and after response compression or caching, if any).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>services.AddStickless()</c> was not called.</exception>
    public static IApplicationBuilder UseStickless(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Checks the registration without creating anything: options are validated at start-up, not here.
        var registered = app.ApplicationServices.GetService<IServiceProviderIsService>() is { } isService
            ? isService.IsService(typeof(SticklessRuntime))
            : app.ApplicationServices.GetService<SticklessRuntime>() is not null;
        if (!registered)
        {
            throw new InvalidOperationException("Stickless services are missing: call services.AddStickless() before app.UseStickless().");
        }

        return app.UseMiddleware<SticklessMiddleware>();
    }
}
