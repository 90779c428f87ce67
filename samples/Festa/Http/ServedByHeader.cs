namespace Festa.Http;

/// <summary>Adds <c>X-Served-By</c> to every response, errors and static files included.</summary>
public static class ServedByHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "X-Served-By";

    /// <summary>Adds the header middleware; put it first so that it also marks answers other middleware short-circuits.</summary>
    public static IApplicationBuilder UseServedByHeader(this IApplicationBuilder app)
    {
        var node = app.ApplicationServices.GetRequiredService<NodeIdentity>();
        return app.Use((context, next) =>
        {
            // OnStarting rather than setting it now: an exception handler clears the headers before it answers.
            context.Response.OnStarting(static state =>
            {
                var (ctx, identity) = ((HttpContext, NodeIdentity))state;
                ctx.Response.Headers[Name] = identity.NameFor(ctx);
                return Task.CompletedTask;
            }, (context, node));
            return next(context);
        });
    }
}
