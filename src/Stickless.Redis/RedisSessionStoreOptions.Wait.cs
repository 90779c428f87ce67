namespace Stickless.Redis;

public sealed partial class RedisSessionStoreOptions
{
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
    }
}
