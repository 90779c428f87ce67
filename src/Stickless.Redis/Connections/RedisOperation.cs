using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// One command and the caller waiting for its reply. It sits in the connection's FIFO from the moment it is
/// written until its reply is read; a caller that gives up (timeout, cancellation) only marks it abandoned, so
/// its reply is still consumed in order and thrown away.
/// </summary>
internal sealed class RedisOperation
{
    private readonly TaskCompletionSource<RespValue> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _abandoned;

    public RedisOperation(string command, ReadOnlyMemory<byte>[] args)
    {
        Command = command;
        Args = args;
    }

    public string Command { get; }

    public ReadOnlyMemory<byte>[] Args { get; }

    /// <summary>When the command was handed to the socket (TimeProvider timestamp); 0 until then.</summary>
    public long WrittenAt { get; set; }

    public Task<RespValue> Completion => _completion.Task;

    public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    /// <summary>The caller stopped waiting; the reply, if any, will be discarded.</summary>
    public void Abandon() => Interlocked.Exchange(ref _abandoned, 1);

    public void Complete(in RespValue value) => _completion.TrySetResult(value);

    public void Fail(Exception exception)
    {
        // Nobody observes an abandoned operation's task; cancelling it instead of faulting it keeps an
        // unobserved exception out of the finalizer thread.
        if (IsAbandoned) { _completion.TrySetCanceled(); }
        else { _completion.TrySetException(exception); }
    }
}
