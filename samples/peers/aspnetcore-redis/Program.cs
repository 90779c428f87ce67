using AspNetCoreRedisPeer;
using Festa;
using Festa.Accounts;
using Festa.Http;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

// Festa's HTTP contract on ASP.NET Core Session over RedisCache, set up the way the ASP.NET Core docs show
// it (app state, distributed caching, data protection in Redis). A baseline to measure, not a recommendation.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

var redisConfiguration = builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379";

// The session cookie is data-protected: every node must hold the same key ring to read another node's cookie.
var dataProtectionRedis = ConnectionMultiplexer.Connect(redisConfiguration);
builder.Services.AddDataProtection()
    .SetApplicationName("Festa")
    .PersistKeysToStackExchangeRedis(dataProtectionRedis, "DataProtection-Keys");

builder.Services.AddStackExchangeRedisCache(options =>
{
    options.Configuration = redisConfiguration;
    options.InstanceName = PeerSessionKeys.InstanceName;
});

builder.Services.AddSession(options =>
{
    options.IdleTimeout = TimeSpan.FromMinutes(20);
    options.Cookie.HttpOnly = true;
    options.Cookie.IsEssential = true;
});

builder.Services.Configure<FestaOptions>(builder.Configuration.GetSection(FestaOptions.SectionName));
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<NodeIdentity>();
builder.Services.AddSingleton<PasswordHasher>();
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddHostedService<DemoUserSeeder>();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseServedByHeader();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseSession();

app.MapPeerAccountEndpoints();
app.MapPeerEventEndpoints();
app.MapPeerWishlistEndpoints();
app.MapPeerCounterEndpoints();
app.MapPeerSessionListEndpoints();
app.MapPeerHealthEndpoints();

app.Run();
