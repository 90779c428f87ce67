using System.Buffers;
using System.IO.Pipelines;

namespace Stickless.AspNetCore;

/// <summary>
/// The response body writer behind <see cref="SessionCommitGate"/>. Until the commit ran, bytes advanced
/// but not yet flushed are held here (a pipe writer holds unflushed bytes anyway); the first flush commits,
/// hands them over and from then on every call goes straight to the server's writer.
/// </summary>
internal sealed class SessionCommitGatePipeWriter : PipeWriter
{
    private readonly SessionCommitGate _gate;
    private readonly PipeWriter _inner;
    private ArrayBufferWriter<byte>? _held;
    private byte[]? _discard;
    private Target _lastTarget;

    public SessionCommitGatePipeWriter(SessionCommitGate gate, PipeWriter inner)
    {
        _gate = gate;
        _inner = inner;
    }

    private enum Target
    {
        Inner,
        Held,
        Discard,
    }

    /// <summary>True while bytes advanced before the commit wait here.</summary>
    public bool HasHeld => _held is { WrittenCount: > 0 };

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _held?.WrittenCount ?? _inner.UnflushedBytes;

    private bool Direct => _gate.IsOpen && _held is null;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _lastTarget = Choose();
        return _lastTarget switch
        {
            Target.Inner => _inner.GetMemory(sizeHint),
            Target.Held => (_held ??= new ArrayBufferWriter<byte>()).GetMemory(sizeHint),
            _ => Discard(sizeHint),
        };
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        switch (_lastTarget)
        {
            case Target.Inner:
                _inner.Advance(bytes);
                break;
            case Target.Held:
                _held!.Advance(bytes);
                break;
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        Direct ? _inner.FlushAsync(cancellationToken) : FlushAfterCommitAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        Direct ? _inner.WriteAsync(source, cancellationToken) : WriteAfterCommitAsync(source, cancellationToken);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        // Completing synchronously cannot commit first; held bytes go out when the request ends (FinishAsync).
        if (Direct || _gate.IsSuppressed)
        {
            _inner.Complete(exception);
        }
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (!Direct)
        {
            await FlushAfterCommitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _inner.CompleteAsync(exception).ConfigureAwait(false);
    }

    /// <summary>Hands held bytes to the server's writer once the gate is open.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_held is null || !_gate.IsOpen)
        {
            _held = _gate.IsSuppressed ? null : _held;
            return;
        }

        _inner.Write(_held.WrittenSpan);
        _held = null;
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private Target Choose()
    {
        if (Direct)
        {
            return Target.Inner;
        }

        return _gate.IsSuppressed ? Target.Discard : Target.Held;
    }

    private Memory<byte> Discard(int sizeHint)
    {
        var size = Math.Max(sizeHint, 4096);
        if (_discard is null || _discard.Length < size)
        {
            _discard = new byte[size];
        }

        return _discard;
    }

    private async ValueTask<FlushResult> FlushAfterCommitAsync(CancellationToken cancellationToken)
    {
        await _gate.PassAsync().ConfigureAwait(false);
        if (!_gate.IsOpen)
        {
            _held = null;
            return new FlushResult(isCanceled: false, isCompleted: false);
        }

        if (_held is not null)
        {
            _inner.Write(_held.WrittenSpan);
            _held = null;
        }

        return await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<FlushResult> WriteAfterCommitAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        await _gate.PassAsync().ConfigureAwait(false);
        if (!_gate.IsOpen)
        {
            _held = null;
            return new FlushResult(isCanceled: false, isCompleted: false);
        }

        if (_held is not null)
        {
            _inner.Write(_held.WrittenSpan);
            _held = null;
        }

        return await _inner.WriteAsync(source, cancellationToken).ConfigureAwait(false);
    }
}
