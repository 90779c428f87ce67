using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore.Tests;

/// <summary>Configuration binding and start-up validation.</summary>
public sealed class SticklessHttpOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Stickless:" + v.Key, v.Value))).Build().GetSection("Stickless");

    private static SticklessHttpOptions Resolve(IServiceCollection services) =>
        services.BuildServiceProvider().GetRequiredService<IOptions<SticklessHttpOptions>>().Value;

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new SticklessHttpOptions();

        Assert.Equal("InMemory", options.Store);
        Assert.Equal("stickless", options.Cookie.Name);
        Assert.Equal("stickless", options.Cookie.EffectiveName);
        Assert.True(options.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, options.Cookie.SameSite);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        Assert.Equal("/", options.Cookie.Path);
        Assert.Null(options.Cookie.Domain);
        Assert.Equal(128, options.Cookie.MaxLength);
        Assert.Null(options.HeaderName);
        Assert.Equal(SessionFailurePolicy.FailClosed, options.FailurePolicy);
        var errors = new List<string>();
        options.Validate(errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void AddStickless_Section_BindsEveryDocumentedKeyThenRunsConfigure()
    {
        var services = new ServiceCollection();
        services.AddStickless(
            Config(
                ("Store", "InMemory"), ("StoreTimeout", "00:00:05"), ("IdleTimeout", "00:30:00"), ("AbsoluteTimeout", "04:00:00"),
                ("TouchFraction", "0.25"), ("RotationGrace", "00:00:10"), ("FailurePolicy", "Degrade"), ("HeaderName", "X-Session-Id"),
                ("Cookie:Name", "sid"), ("Cookie:SecurePolicy", "Always"), ("Cookie:SameSite", "Strict"), ("Cookie:MaxLength", "64"),
                ("Limits:MaxAttributeBytes", "1000")),
            o => o.Policy.MaxUpdateAttempts = 7);

        var options = Resolve(services);

        Assert.Equal(TimeSpan.FromSeconds(5), options.StoreTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Policy.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(4), options.Policy.AbsoluteTimeout);
        Assert.Equal(0.25, options.Policy.TouchFraction);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Policy.RotationGrace);
        Assert.Equal(SessionFailurePolicy.Degrade, options.FailurePolicy);
        Assert.Equal("X-Session-Id", options.HeaderName);
        Assert.Equal("__Host-sid", options.Cookie.EffectiveName);
        Assert.Equal(SameSiteMode.Strict, options.Cookie.SameSite);
        Assert.Equal(64, options.Cookie.MaxLength);
        Assert.Equal(1000, options.Policy.Limits.MaxAttributeBytes);
        Assert.Equal(7, options.Policy.MaxUpdateAttempts);
    }

    [Fact]
    public async Task StartUp_SeveralInvalidSettings_FailsWithEveryErrorInOneMessage()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddStickless(
            Config(("Store", "Nope"), ("IdleTimeout", "soon"), ("TouchFraction", "2"), ("FailurePolicy", "Maybe"), ("Cookie:Name", "bad name;")),
            o => o.Cookie.MaxLength = 5);
        await using var app = builder.Build();
        app.UseStickless();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        foreach (var expected in new[] { "Store is 'Nope'", "IdleTimeout = 'soon'", "TouchFraction", "FailurePolicy = 'Maybe'", "Cookie:Name", "Cookie:MaxLength" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(CookieSecurePolicy.Always, "/", null, "__Host-stickless")]
    [InlineData(CookieSecurePolicy.SameAsRequest, "/", null, "stickless")]
    [InlineData(CookieSecurePolicy.Always, "/app", null, "stickless")]
    [InlineData(CookieSecurePolicy.Always, "/", "example.com", "stickless")]
    public void EffectiveName_HostPrefixOnlyWhenAllowed(CookieSecurePolicy policy, string path, string? domain, string expected)
    {
        var cookie = new SticklessCookieOptions { SecurePolicy = policy, Path = path, Domain = domain };

        Assert.Equal(expected, cookie.EffectiveName);
    }

    [Fact]
    public void Validate_HostPrefixedNameWithoutSecure_IsAnError()
    {
        var options = new SticklessHttpOptions();
        options.Cookie.Name = "__Host-x";
        var errors = new List<string>();

        options.Validate(errors);

        Assert.Contains(errors, e => e.Contains("__Host-", StringComparison.Ordinal));
    }

    [Fact]
    public void UseStickless_WithoutAddStickless_ThrowsClearError()
    {
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());

        var error = Assert.Throws<InvalidOperationException>(() => app.UseStickless());

        Assert.Contains("AddStickless", error.Message, StringComparison.Ordinal);
    }
}
