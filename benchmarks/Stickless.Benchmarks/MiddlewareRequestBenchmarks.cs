using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Stickless.Benchmarks;

/// <summary>
/// One whole request through the Stickless middleware on the in-memory store, per request: a fresh
/// <see cref="DefaultHttpContext"/> carrying the session cookie of a stored ten-attribute session, then
/// <c>UseStickless</c> and an endpoint using <c>HttpContext.Session</c>. No server, no sockets: what is left
/// is the middleware (id resolution, load, the session views, the commit gate, the commit) and the
/// <see cref="DefaultHttpContext"/> itself, which <see cref="NoSession"/> measures alone.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareRequestBenchmarks
{
    private const int AttributeCount = 10;
    private const string CookieName = "stickless";

    private static readonly string[] Names = [.. Enumerable.Range(0, AttributeCount).Select(static i => "attribute" + i)];

    private ServiceProvider _services = null!;
    private RequestDelegate _readOnly = null!;
    private RequestDelegate _readAndWrite = null!;
    private RequestDelegate _noSession = null!;
    private string _cookie = null!;
    private int _written;

    /// <summary>With and without the circuit breaker on store calls, side by side in one run.</summary>
    [Params(true, false)]
    public bool CircuitBreaker { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddStickless(options => options.CircuitBreaker.Enabled = CircuitBreaker)
            .Services.BuildServiceProvider();

        _readOnly = Pipeline(withStickless: true, static context =>
        {
            var session = context.Session;
            var length = 0;
            foreach (var name in Names)
            {
                length += session.GetString(name)?.Length ?? 0;
            }

            context.Response.StatusCode = length > 0 ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        _readAndWrite = Pipeline(withStickless: true, context =>
        {
            var session = context.Session;
            var length = 0;
            foreach (var name in Names)
            {
                length += session.GetString(name)?.Length ?? 0;
            }

            // A different value every time, so every request really commits.
            session.SetString(Names[3], "{\"item\":3,\"label\":\"" + (++_written % 1000).ToString("D45", System.Globalization.CultureInfo.InvariantCulture) + "\"}");
            context.Response.StatusCode = length > 0 ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        _noSession = Pipeline(withStickless: false, static context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });

        _cookie = CookieName + "=" + CreateSession();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>The same fresh context and cookie through a pipeline without Stickless: the floor.</summary>
    [Benchmark]
    public Task NoSession() => _noSession(NewContext());

    /// <summary>A read-only request: load, ten <c>GetString</c>, no commit.</summary>
    [Benchmark(Baseline = true)]
    public Task ReadTenAttributes() => _readOnly(NewContext());

    /// <summary>A writing request: load, ten <c>GetString</c>, one <c>SetString</c>, and the commit of that attribute.</summary>
    [Benchmark]
    public Task ReadTenSetOneAttribute() => _readAndWrite(NewContext());

    private RequestDelegate Pipeline(bool withStickless, RequestDelegate endpoint)
    {
        var app = new ApplicationBuilder(_services);
        if (withStickless)
        {
            app.UseStickless();
        }

        app.Run(endpoint);
        return app.Build();
    }

    private DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/";
        context.Request.Headers.Cookie = _cookie;
        return context;
    }

    // Ten attributes of 50 to 95 bytes of JSON text, as in InMemorySessionStoreBenchmarks, stored through the store.
    private string CreateSession()
    {
        var store = _services.GetRequiredService<ISessionStore>();
        var id = SessionIds.Create();
        var now = TimeProvider.System.GetUtcNow();
        var attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal);
        for (var i = 0; i < AttributeCount; i++)
        {
            var json = "{\"item\":" + i + ",\"label\":\"" + new string('x', 30 + (i * 5)) + "\"}";
            attributes[Names[i]] = AttributeChange.Set(Encoding.UTF8.GetBytes(json));
        }

        var created = store.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = TimeSpan.FromMinutes(20),
            AbsoluteExpiry = now.AddHours(8),
            Attributes = attributes,
        }, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return created.Status == CommitStatus.Committed ? id : throw new InvalidOperationException($"Setup failed: {created.Status}.");
    }
}
