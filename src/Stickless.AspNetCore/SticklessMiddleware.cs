using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Stickless.AspNetCore;

/// <summary>
/// Loads the request's session before the endpoint runs (one store call, none without an id, none for an endpoint marked
/// <see cref="IWithoutSessionMetadata"/>), exposes it as <c>HttpContext.Session</c> and <see cref="ISticklessSession"/>, and
/// commits its delta once, as the response starts, after every change the application makes while it starts.
/// </summary>
/// <remarks>
/// A store that fails to load the session costs only what needs the session: under
/// <see cref="SessionFailurePolicy.FailClosed"/> the failure surfaces when the endpoint first touches the session (503),
/// and an endpoint that never touches it answers normally; under <see cref="SessionFailurePolicy.Degrade"/> the endpoint
/// gets an empty, unavailable session. An update that conflicted on every attempt
/// (<see cref="SessionUpdateConflictException"/>) answers 409.
/// </remarks>
internal sealed class SticklessMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SticklessRuntime _runtime;

    public SticklessMiddleware(RequestDelegate next, SticklessRuntime runtime)
    {
        _next = next;
        _runtime = runtime;
    }

    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IWithoutSessionMetadata>() is not null
            ? _next(context)
            : InvokeWithSessionAsync(context);

    private async Task InvokeWithSessionAsync(HttpContext context)
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
            session.MarkLoadFailed(ex, failWhenTouched: options.FailurePolicy == SessionFailurePolicy.FailClosed);
        }

        var features = context.Features;
        var originalBody = features.Get<IHttpResponseBodyFeature>()
            ?? throw new InvalidOperationException("The server provides no IHttpResponseBodyFeature.");
        var gate = new SessionCommitGate(session, context, _runtime, originalBody);
        features.Set<ISessionFeature>(new SticklessSessionFeature(new SticklessSessionAdapter(session)));
        features.Set<ISticklessSession>(session);

        // The gate stays in place for the rest of the request: a body an outer middleware writes after this one returned
        // (a status code page) also waits for the commit, and vanishes behind a fail-closed 503.
        features.Set<IHttpResponseBodyFeature>(gate);
        if (features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            features.Set<IHttpUpgradeFeature>(new SessionUpgradeFeature(upgrade, gate));
        }

        if (features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            features.Set<IHttpExtendedConnectFeature>(new SessionExtendedConnectFeature(connect, gate));
        }

        // Registered before the endpoint runs, so it runs after the endpoint's own OnStarting callbacks (TempData's save).
        context.Response.OnStarting(static state => ((SessionCommitGate)state).OnStartingAsync(), gate);

        // The session stays reachable until the response has gone out: an OnStarting callback of the endpoint may run after
        // this middleware returned (a response without a body starts only then) and still change it.
        context.Response.OnCompleted(static state =>
        {
            ((SticklessSession)state).CompleteRequest();
            return Task.CompletedTask;
        }, session);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex) when (!context.Response.HasStarted)
        {
            // An operation that had to reach the store now (UpdateAsync, SignInAsync, ...), or the first touch of a session
            // whose load failed, could not.
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

        await gate.FinishAsync().ConfigureAwait(false);
    }
}
