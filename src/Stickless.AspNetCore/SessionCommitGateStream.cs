namespace Stickless.AspNetCore;

/// <summary>The response body stream behind <see cref="SessionCommitGate"/>: writes wait for the commit, or vanish after a fail-closed 503.</summary>
internal sealed class SessionCommitGateStream : Stream
{
    private readonly SessionCommitGate _gate;
    private readonly Stream _inner;

    public SessionCommitGateStream(SessionCommitGate gate, Stream inner)
    {
        _gate = gate;
        _inner = inner;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_gate.IsOpen)
        {
            return _inner.WriteAsync(buffer, cancellationToken);
        }

        return _gate.IsSuppressed ? ValueTask.CompletedTask : WriteAfterCommitAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_gate.IsOpen)
        {
            return _inner.FlushAsync(cancellationToken);
        }

        return _gate.IsSuppressed ? Task.CompletedTask : FlushAfterCommitAsync(cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_gate.IsOpen)
        {
            _inner.Write(buffer);
        }
        else if (!_gate.IsSuppressed)
        {
            // Committing means a store call, and nothing may block on a store.
            throw new InvalidOperationException("The first write of a response with a session must be asynchronous (WriteAsync), so that the session can be committed before the response starts.");
        }
    }

    // Nothing is buffered here: a flush before the first write has nothing to send and must not start the response.
    public override void Flush()
    {
        if (_gate.IsOpen)
        {
            _inner.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async ValueTask WriteAfterCommitAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _gate.PassAsync().ConfigureAwait(false);
        if (_gate.IsOpen)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAfterCommitAsync(CancellationToken cancellationToken)
    {
        await _gate.PassAsync().ConfigureAwait(false);
        if (_gate.IsOpen)
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
