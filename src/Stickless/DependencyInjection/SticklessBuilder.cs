using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The <see cref="ISticklessBuilder"/> that <c>AddStickless</c> returns.</summary>
internal sealed class SticklessBuilder(IServiceCollection services, IConfiguration? configuration) : ISticklessBuilder
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration? Configuration { get; } = configuration;
}
