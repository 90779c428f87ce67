using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.Replication.Transport;

namespace Stickless.Replication.Hosting;

/// <summary>
/// Puts the peer endpoint (<c>POST /stickless/peer</c>) in front of the app's own pipeline, so peers reach a node on the
/// address the app already listens on, and, when <see cref="ReplicatedSessionStoreOptions.RouteCookieName"/> is set,
/// sets the owner-affine routing cookie on every response whose session the store saw. Does nothing when another store
/// is selected.
/// </summary>
internal sealed class ReplicationStartupFilter : IStartupFilter
{
    /// <summary>Under the peer path: <c>GET /stickless/peer/stats</c> answers the node's <see cref="ReplicationStatistics"/> as JSON to a caller that presents the cluster secret in <c>X-Stickless-Secret</c> (the lab).</summary>
    public const string StatisticsPath = "/stats";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var store = new Lazy<ReplicatedSessionStore?>(() => app.ApplicationServices.GetService<ISessionStore>() as ReplicatedSessionStore);
        app.Map(PeerClient.Path, peer => peer.Run(context =>
        {
            if (store.Value is not { } replicated)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return context.Request.Path == StatisticsPath ? WriteStatisticsAsync(context, replicated) : replicated.Server.HandleAsync(context);
        }));
        app.Use((context, nextMiddleware) =>
        {
            if (store.Value is not { Options.RouteCookieName: { } cookie } replicated)
            {
                return nextMiddleware(context);
            }

            var hint = new RouteHint();
            RouteHint.Current = hint;
            context.Response.OnStarting(() =>
            {
                if (hint.SessionId is { } id && replicated.OwnerOf(id) is { } owner && context.Request.Cookies[cookie] != owner)
                {
                    context.Response.Cookies.Append(cookie, owner, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", IsEssential = true });
                }

                return Task.CompletedTask;
            });
            return nextMiddleware(context);
        });
        next(app);
    };

    private static async Task WriteStatisticsAsync(HttpContext context, ReplicatedSessionStore store)
    {
        var presented = System.Text.Encoding.UTF8.GetBytes(context.Request.Headers["X-Stickless-Secret"].ToString());
        var secret = System.Text.Encoding.UTF8.GetBytes(store.Options.Secret);
        if (!HttpMethods.IsGet(context.Request.Method) || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(presented, secret))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(store.GetStatistics(), ReplicationJson.Default.ReplicationStatistics), context.RequestAborted).ConfigureAwait(false);
    }
}
