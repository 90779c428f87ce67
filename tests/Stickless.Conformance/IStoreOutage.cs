namespace Stickless.Conformance;

/// <summary>Takes the store's servers down and back, for <see cref="StoreOutageConformanceTests"/>.</summary>
public interface IStoreOutage
{
    /// <summary>The longest one store call may take once the servers stop answering (the store's own timeout).</summary>
    TimeSpan CallBound { get; }

    /// <summary>Freezes every server the store uses (SIGSTOP): connections stay open, nothing answers.</summary>
    ValueTask PauseAsync(CancellationToken cancellationToken);

    /// <summary>Thaws what <see cref="PauseAsync"/> froze (SIGCONT).</summary>
    ValueTask ResumeAsync(CancellationToken cancellationToken);
}
