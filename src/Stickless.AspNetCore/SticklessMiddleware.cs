using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Stickless.AspNetCore;

/// <summary>
/// Loads the request's session before the endpoint runs (one store call, none without an id), exposes it as
/// <c>HttpContext.Session</c> and <see cref="ISticklessSession"/>, and commits its delta once, before the
/// response starts; store failures follow <see cref="SticklessHttpOptions.FailurePolicy"/>, and an update
/// that conflicted on every attempt (<see cref="SessionUpdateConflictException"/>) answers 409.
/// </summary>
internal sealed class SticklessMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SticklessRuntime _runtime;

    public SticklessMiddleware(RequestDelegate next, SticklessRuntime runtime)
    {
        _next = next;
        _runtime = runtime;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var options = _runtime.Options;
        var session = new SticklessSession(_runtime, context);
        try
        {
            await session.LoadAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            SticklessLog.LoadFailed(_runtime.Logger, _runtime.Store.StoreName, options.FailurePolicy, ex);
            if (options.FailurePolicy == SessionFailurePolicy.FailClosed)
            {
                UnavailableResponse.Write(context.Response, options.RetryAfterSeconds, UnavailableResponse.CaptureOuterHeaders(context.Response));
                return;
            }

            session.MarkUnavailable();
        }

        var features = context.Features;
        var originalBody = features.Get<IHttpResponseBodyFeature>()
            ?? throw new InvalidOperationException("The server provides no IHttpResponseBodyFeature.");
        var gate = new SessionCommitGate(session, context, _runtime, originalBody);
        features.Set<ISessionFeature>(new SticklessSessionFeature(new SticklessSessionAdapter(session)));
        features.Set<ISticklessSession>(session);
        features.Set<IHttpResponseBodyFeature>(gate);
        context.Response.OnStarting(static state => ((SessionCommitGate)state).OnStartingAsync(), gate);
        try
        {
            try
            {
                await _next(context).ConfigureAwait(false);
            }
            catch (SessionStoreUnavailableException ex) when (!context.Response.HasStarted)
            {
                // An operation that had to reach the store now (UpdateAsync, SignInAsync, ...) could not.
                SticklessLog.StoreUnavailableInRequest(_runtime.Logger, ex);
                gate.Abandon();
                context.Response.Clear();
                UnavailableResponse.Write(context.Response, options.RetryAfterSeconds, gate.OuterHeaders);
                return;
            }
            catch (SessionUpdateConflictException) when (!context.Response.HasStarted)
            {
                // Contention, not an outage (UpdateGaveUp is already logged): 409, and the client may retry.
                gate.Abandon();
                context.Response.Clear();
                await ConflictResponse.WriteAsync(context.Response, gate.OuterHeaders, context.RequestAborted).ConfigureAwait(false);
                return;
            }
            catch
            {
                gate.Abandon();
                throw;
            }

            // Commits if nothing started the response; a failure has already turned it into the 503.
            await gate.FinishAsync().ConfigureAwait(false);
        }
        finally
        {
            features.Set(originalBody);
            features.Set<ISessionFeature>(null);
            features.Set<ISticklessSession>(null);
        }
    }
}
