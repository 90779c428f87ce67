namespace Flash;

/// <summary>
/// Builds the Flash application: MVC and Razor Pages with the session TempData provider, on Stickless
/// (<c>Flash:Sessions=Stickless</c>, the default; any <c>Stickless:*</c> setting, for example <c>Stickless:Store=Redis</c>)
/// or on ASP.NET Core's own session middleware over an in-memory distributed cache (<c>Flash:Sessions=AspNetCore</c>).
/// </summary>
public static class FlashApp
{
    /// <summary>The setting that picks the session middleware.</summary>
    public const string SessionsKey = "Flash:Sessions";

    /// <summary>Builds the application from command-line style arguments (<c>--Flash:Sessions=AspNetCore</c>, <c>--urls ...</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Tests host this application in their own process: controllers, pages and views are found in this assembly.
            ApplicationName = typeof(FlashApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var aspNetCore = string.Equals(builder.Configuration[SessionsKey], "AspNetCore", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddControllersWithViews().AddSessionStateTempDataProvider();
        builder.Services.AddRazorPages().AddSessionStateTempDataProvider();
        if (aspNetCore)
        {
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddSession();
        }
        else
        {
            builder.Services.AddStickless(builder.Configuration.GetSection("Stickless")).AddRedis();
        }

        var app = builder.Build();
        if (aspNetCore)
        {
            app.UseSession();
        }
        else
        {
            app.UseStickless();
        }

        app.MapControllers();
        app.MapRazorPages();
        return app;
    }
}
