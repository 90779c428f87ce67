using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stickless.AspNetCore.Tests.Infrastructure;

/// <summary>A TestServer (or real Kestrel) host running UseStickless and then the test's handler.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly IHost _host;

    private TestApp(IHost host, HttpClient client, string? baseAddress)
    {
        _host = host;
        Client = client;
        BaseAddress = baseAddress;
    }

    public HttpClient Client { get; }

    public string? BaseAddress { get; }

    public IServiceProvider Services => _host.Services;

    public ManualTimeProvider? Clock { get; private init; }

    public CountingSessionStore? Counting { get; private init; }

    public FaultySessionStore? Faulty { get; private init; }

    public static Task<TestApp> StartAsync(RequestDelegate handler, Action<SticklessHttpOptions>? configure = null, TestAppOptions? options = null) =>
        StartAsync(app => app.Run(handler), configure, options);

    public static async Task<TestApp> StartAsync(Action<IApplicationBuilder> pipeline, Action<SticklessHttpOptions>? configure = null, TestAppOptions? options = null)
    {
        options ??= new TestAppOptions();
        var clock = options.Clock;
        CountingSessionStore? counting = null;
        FaultySessionStore? faulty = null;

        void ConfigureServices(IServiceCollection services)
        {
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            if (clock is not null)
            {
                services.AddSingleton<TimeProvider>(clock);
            }

            services.AddStickless(o =>
                {
                    o.Store = options.Store;
                    configure?.Invoke(o);
                })
                // The real in-memory store, wrapped: counted, or made to fail on demand.
                .AddStore("Counting", sp => counting = new CountingSessionStore(new InMemorySessionStore(sp.GetRequiredService<TimeProvider>(), SessionEventPublisher.None)))
                .AddStore("Faulty", sp => faulty = new FaultySessionStore(new InMemorySessionStore(sp.GetRequiredService<TimeProvider>(), SessionEventPublisher.None)));
            options.Services?.Invoke(services);
        }

        void Configure(IApplicationBuilder app)
        {
            options.Outer?.Invoke(app);
            app.UseStickless();
            pipeline(app);
        }

        IHost host;
        HttpClient client;
        string? baseAddress = null;
        if (options.Kestrel)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = options.Protocols)).UseUrls("http://127.0.0.1:0");
            ConfigureServices(builder.Services);
            var app = builder.Build();
            Configure(app);
            await app.StartAsync();
            baseAddress = app.Urls.First();
            host = app;
            client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(20) };
        }
        else
        {
            host = new HostBuilder()
                .ConfigureWebHost(web => web.UseTestServer().ConfigureServices(ConfigureServices).Configure(Configure))
                .Build();
            await host.StartAsync();
            client = host.GetTestClient();
            client.BaseAddress = new Uri(options.BaseAddress);
        }

        // Creates the store now, so the test can reach its wrapper.
        _ = host.Services.GetRequiredService<ISessionStore>();
        return new TestApp(host, client, baseAddress) { Clock = clock, Counting = counting, Faulty = faulty };
    }

    public SessionClient NewSessionClient(string cookieName = "stickless") => new(Client, cookieName);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }
}

public sealed class TestAppOptions
{
    public ManualTimeProvider? Clock { get; init; }

    public string Store { get; init; } = "Counting";

    public bool Kestrel { get; init; }

    /// <summary>The protocols Kestrel speaks (h2c when HTTP/2 only).</summary>
    public Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols Protocols { get; init; } = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;

    public string BaseAddress { get; init; } = "http://localhost/";

    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Middleware placed before UseStickless.</summary>
    public Action<IApplicationBuilder>? Outer { get; init; }
}
