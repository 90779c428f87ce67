namespace Stickless.Redis;

public sealed partial class RedisSessionStoreOptions
{
    /// <summary>
    /// How many replicas must acknowledge every commit, rotation and delete (<c>WAIT</c>, sent right behind the
    /// script on a connection of its own) before the store reports it done. Default 0: no WAIT (Redis's
    /// asynchronous replication; a failover loses the writes its replicas had not received yet). Setting
    /// <c>Stickless:Redis:WaitForReplicas</c>. WAIT narrows that window, it does not close it: see the README,
    /// "High availability".
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>
    /// The longest a write waits for <see cref="WaitForReplicas"/> acknowledgements; then
    /// <see cref="WaitFailurePolicy"/> decides. Must be shorter than <see cref="OperationTimeout"/>. Default
    /// 500 ms. Setting <c>Stickless:Redis:WaitTimeout</c> (a time span: <c>00:00:00.5</c>).
    /// </summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// What a write that fewer replicas acknowledged does. Default <see cref="RedisWaitFailurePolicy.FailRequest"/>.
    /// Setting <c>Stickless:Redis:WaitFailurePolicy</c> (<c>FailRequest</c> | <c>AcceptAndCount</c>).
    /// </summary>
    public RedisWaitFailurePolicy WaitFailurePolicy { get; set; } = RedisWaitFailurePolicy.FailRequest;

    /// <summary>
    /// How many connections of their own the writes that <c>WAIT</c> use (each a StackExchange.Redis multiplexer
    /// Stickless opens and disposes). <c>WAIT</c> blocks the connection it is sent on until it answers, so it never
    /// shares one with reads; the writes of one connection wait for each other, so this many can wait at once.
    /// Only used when <see cref="WaitForReplicas"/> is above 0. Default 4.
    /// </summary>
    public int WaitConnections { get; set; } = 4;

    private void ValidateWait(ICollection<string> errors)
    {
        if (WaitForReplicas is < 0 or > 100)
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(WaitForReplicas)} must be between 0 and 100 (was {WaitForReplicas}).");
        }

        if (WaitTimeout <= TimeSpan.Zero || (WaitForReplicas > 0 && WaitTimeout >= OperationTimeout))
        {
            // WAIT 0 would block forever; a wait as long as the whole call would turn every shortfall into a timeout.
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(WaitTimeout)} must be positive and shorter than {nameof(OperationTimeout)} ({OperationTimeout}) (was {WaitTimeout}).");
        }

        if (!Enum.IsDefined(WaitFailurePolicy))
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(WaitFailurePolicy)} must be FailRequest or AcceptAndCount (was {WaitFailurePolicy}).");
        }

        if (WaitConnections is < 1 or > 64)
        {
            errors.Add($"{nameof(RedisSessionStoreOptions)}.{nameof(WaitConnections)} must be between 1 and 64 (was {WaitConnections}).");
        }
    }
}
