using Festa;
using Festa.Accounts;
using Festa.Baseline;
using Festa.Catalogue;
using Festa.Counter;
using Festa.Health;
using Festa.Http;
using Festa.Preferences;
using Festa.Sessions;
using Festa.Wishlist;
using Microsoft.Extensions.DependencyInjection.Extensions;

// The content root is the build output, not the working directory, so `dotnet Festa.dll` finds its
// front page and its App_Data folder whichever folder it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.Services.Configure<FestaOptions>(builder.Configuration.GetSection(FestaOptions.SectionName));
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<NodeIdentity>();
builder.Services.AddSingleton<PasswordHasher>();
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddHostedService<DemoUserSeeder>();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<SessionLimitExceptionHandler>();
FestaStores.Register(builder.Services.AddStickless(builder.Configuration.GetSection("Stickless")));
builder.Services.AddFestaHealth();

var app = builder.Build();

app.UseServedByHeader();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseStickless();

app.MapAccountEndpoints();
app.MapEventEndpoints();
app.MapBaselineEndpoints();
app.MapWishlistEndpoints();
app.MapCounterEndpoints();
app.MapPreferenceEndpoints();
app.MapSessionEndpoints();
app.MapHealthEndpoints();

app.Run();
