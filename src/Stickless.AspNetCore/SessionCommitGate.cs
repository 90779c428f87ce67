using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Stickless.AspNetCore;

/// <summary>
/// The response body as the endpoint sees it: the first write, flush, start or completion starts the response through the
/// server, whose OnStarting callbacks end with this gate's, which commits the session; so the commit always happens
/// before the status line and headers leave, and after every change the application makes while the response starts.
/// </summary>
/// <remarks>
/// <para>
/// Why OnStarting, and why the gate: frameworks change the session while the response starts (MVC saves TempData in an
/// OnStarting callback), so the commit must come after them; callbacks run last-registered first, and the middleware
/// registers this one before the endpoint runs, so it runs after the endpoint's. Inside the callback the response has not
/// started: a failed commit can still replace status and headers. The gate makes sure no byte of the endpoint's body passes
/// before that, and discards the body after a fail-closed 503, without buffering it.
/// </para>
/// <para>
/// When the commit fails under <see cref="SessionFailurePolicy.FailClosed"/>, the status becomes 503, every
/// header the endpoint set is dropped (its cookies too; headers set by outer middleware stay),
/// <c>Retry-After</c>, <c>Cache-Control: no-store</c> and <c>Content-Length: 0</c> are set, and everything the endpoint
/// writes is discarded. A protocol upgrade (WebSockets) commits before the upgrade instead (<see cref="CommitBeforeUpgradeAsync"/>).
/// </para>
/// </remarks>
internal sealed class SessionCommitGate : IHttpResponseBodyFeature
{
    private readonly SticklessSession _session;
    private readonly HttpContext _context;
    private readonly SticklessRuntime _runtime;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly KeyValuePair<string, StringValues>[]? _outerHeaders;
    private SessionCommitGateStream? _stream;
    private SessionCommitGatePipeWriter? _writer;
    private GateState _state;

    public SessionCommitGate(SticklessSession session, HttpContext context, SticklessRuntime runtime, IHttpResponseBodyFeature inner)
    {
        _session = session;
        _context = context;
        _runtime = runtime;
        _inner = inner;
        _outerHeaders = UnavailableResponse.CaptureOuterHeaders(context.Response);
    }

    /// <summary>The headers outer middleware had set when the session middleware ran.</summary>
    public KeyValuePair<string, StringValues>[]? OuterHeaders => _outerHeaders;

    private enum GateState
    {
        Closed,
        Open,
        Suppressed,
    }

    /// <summary>True once the commit ran and the body may flow to the server.</summary>
    public bool IsOpen => _state == GateState.Open;

    /// <summary>True when the commit failed closed: the response is an empty 503 and the body is discarded.</summary>
    public bool IsSuppressed => _state == GateState.Suppressed;

    public Stream Stream => _stream ??= new SessionCommitGateStream(this, _inner.Stream);

    public PipeWriter Writer => _writer ??= new SessionCommitGatePipeWriter(this, _inner.Writer);

    public IHttpResponseBodyFeature Inner => _inner;

    public void DisableBuffering() => _inner.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await PassAsync().ConfigureAwait(false);
        if (IsOpen)
        {
            await _inner.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await PassAsync().ConfigureAwait(false);
        if (IsOpen)
        {
            await DrainWriterAsync(cancellationToken).ConfigureAwait(false);
            await _inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CompleteAsync()
    {
        await PassAsync().ConfigureAwait(false);
        if (IsOpen)
        {
            await DrainWriterAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _inner.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The endpoint returned: bytes the writer still holds go out now (starting the response, and with it the commit).
    /// Otherwise nothing happens here: the server starts the response once the pipeline is done, and the commit runs in
    /// its OnStarting callbacks, after any callback of the application's (TempData, for one) has changed the session.
    /// </summary>
    public async ValueTask FinishAsync()
    {
        if (_writer is { HasHeld: true })
        {
            await PassAsync().ConfigureAwait(false);
            if (IsOpen)
            {
                await DrainWriterAsync(_context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits for the commit; fast when it already ran. The response is started through the server, which runs its
    /// OnStarting callbacks: the application's first (they may still change the session), then this gate's, which commits.
    /// </summary>
    public ValueTask PassAsync() => _state == GateState.Closed ? StartThroughServerAsync() : ValueTask.CompletedTask;

    /// <summary>The commit, as the server's OnStarting callback: registered first, it runs after the application's own callbacks.</summary>
    public Task OnStartingAsync() => _state == GateState.Closed ? CommitAsync().AsTask() : Task.CompletedTask;

    /// <summary>
    /// Commits now, without starting the response (before a protocol upgrade, which starts it in a way this gate cannot
    /// replace); a fail-closed store failure throws <see cref="SessionStoreUnavailableException"/> so the middleware answers 503.
    /// </summary>
    public async ValueTask CommitBeforeUpgradeAsync()
    {
        if (_state != GateState.Closed)
        {
            return;
        }

        try
        {
            await _session.CommitFinalAsync(_context.RequestAborted).ConfigureAwait(false);
            _state = GateState.Open;
        }
        catch (SessionStoreUnavailableException ex) when (_runtime.Options.FailurePolicy == SessionFailurePolicy.Degrade)
        {
            SticklessLog.CommitFailed(_runtime.Logger, _session.Handle, _runtime.Store.StoreName, SessionFailurePolicy.Degrade, ex);
            _state = GateState.Open;
        }
    }

    /// <summary>The request failed: nothing is committed, and the body flows unchanged (for the error response).</summary>
    public void Abandon()
    {
        if (_state == GateState.Closed)
        {
            _session.Abandon();
            _state = GateState.Open;
        }
    }

    private async ValueTask StartThroughServerAsync()
    {
        if (!_context.Response.HasStarted)
        {
            await _inner.StartAsync(_context.RequestAborted).ConfigureAwait(false);
        }

        // The response started without this gate's callback (a server that skipped it): commit anyway, it can no longer be replaced.
        if (_state == GateState.Closed)
        {
            await CommitAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask CommitAsync()
    {
        try
        {
            await _session.CommitFinalAsync(_context.RequestAborted).ConfigureAwait(false);
            _state = GateState.Open;
        }
        catch (SessionStoreUnavailableException ex)
        {
            var policy = _runtime.Options.FailurePolicy;
            SticklessLog.CommitFailed(_runtime.Logger, _session.Handle, _runtime.Store.StoreName, policy, ex);
            if (policy == SessionFailurePolicy.Degrade)
            {
                _state = GateState.Open;
                return;
            }

            // Still inside the server's OnStarting callbacks (or before them): status and headers can be replaced, and
            // everything the endpoint writes from now on is discarded.
            _state = GateState.Suppressed;
            if (!_context.Response.HasStarted)
            {
                SticklessLog.ResponseReplaced(_runtime.Logger);
                UnavailableResponse.Write(_context.Response, _runtime.Options.RetryAfterSeconds, _outerHeaders);
            }
        }
        catch
        {
            // Anything else (the client went away, a broken store): nothing more of this response may flow.
            _state = GateState.Suppressed;
            throw;
        }
    }

    private Task DrainWriterAsync(CancellationToken cancellationToken) => _writer?.DrainAsync(cancellationToken) ?? Task.CompletedTask;
}
