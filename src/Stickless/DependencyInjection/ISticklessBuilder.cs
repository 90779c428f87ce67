using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>AddStickless</c> returns: the service collection and the <c>Stickless</c> configuration section, so that store
/// packages can register themselves (<c>AddRedis()</c>, <c>AddMemcached()</c>, ...) and bind their own options from their
/// subsection (<c>Stickless:Redis</c>, ...).
/// </summary>
public interface ISticklessBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>The <c>Stickless</c> configuration section given to <c>AddStickless</c>, or null when none was given.</summary>
    IConfiguration? Configuration { get; }
}
