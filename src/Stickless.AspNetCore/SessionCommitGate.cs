using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Stickless.AspNetCore;

/// <summary>
/// The response body as the endpoint sees it: the first write, flush, start or completion waits for the
/// session's one commit, so the commit always happens before the status line and headers leave.
/// </summary>
/// <remarks>
/// <para>
/// Why not only <c>Response.OnStarting</c>: a server runs that callback inside the write that starts the
/// response, and a callback that throws does not let the middleware answer 503: Kestrel turns it into a 500
/// (or, mid-write, aborts), and the handler's own status and body are otherwise already on their way.
/// Intercepting the body lets a failed commit replace the whole response, without buffering it.
/// </para>
/// <para>
/// When the commit fails under <see cref="SessionFailurePolicy.FailClosed"/>, the status becomes 503, every
/// header the endpoint set is dropped (its cookies too; headers set by outer middleware stay),
/// <c>Retry-After</c>, <c>Cache-Control: no-store</c> and <c>Content-Length: 0</c> are set, the response is
/// started, and everything the endpoint writes after that is discarded. <c>OnStarting</c> is still registered as a backstop for responses started without
/// going through the body (an upgrade, for example).
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

    /// <summary>The request ended: commit if nothing started the response, then hand over what the writer still holds.</summary>
    public async ValueTask FinishAsync()
    {
        if (_state == GateState.Closed)
        {
            await CommitAsync(startResponseOnFailure: false).ConfigureAwait(false);
        }

        if (IsOpen)
        {
            await DrainWriterAsync(_context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the commit; fast when it already ran.</summary>
    public ValueTask PassAsync() => _state == GateState.Closed ? CommitAsync(startResponseOnFailure: true) : ValueTask.CompletedTask;

    /// <summary>The backstop: the server is starting the response without having gone through this body.</summary>
    public Task OnStartingAsync() => _state == GateState.Closed ? CommitAsync(startResponseOnFailure: false).AsTask() : Task.CompletedTask;

    /// <summary>The request failed: nothing is committed, and the body flows unchanged (for the error response).</summary>
    public void Abandon()
    {
        if (_state == GateState.Closed)
        {
            _session.Abandon();
            _state = GateState.Open;
        }
    }

    private async ValueTask CommitAsync(bool startResponseOnFailure)
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

            _state = GateState.Suppressed;
            if (!_context.Response.HasStarted)
            {
                SticklessLog.ResponseReplaced(_runtime.Logger);
                UnavailableResponse.Write(_context.Response, _runtime.Options.RetryAfterSeconds, _outerHeaders);
                if (startResponseOnFailure)
                {
                    // Freezes the 503: the handler can no longer change the status or add headers.
                    await _inner.StartAsync(_context.RequestAborted).ConfigureAwait(false);
                }
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
