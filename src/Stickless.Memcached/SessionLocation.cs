using Stickless.Memcached.Connections;

namespace Stickless.Memcached;

/// <summary>Where a session (or an index) lives: its keyed hash, its owner node and its backup node.</summary>
internal sealed record SessionLocation(string Hash, MemcachedNode Primary, MemcachedNode? Backup, byte[] PrimaryKey, byte[] BackupKey)
{
    public SessionCopy PrimaryCopy => new(Primary, PrimaryKey, true);

    /// <summary>The backup copy, or null with a single node.</summary>
    public SessionCopy? BackupCopy => Backup is null ? null : new SessionCopy(Backup, BackupKey, false);

    /// <summary>
    /// Where reads and writes go now: the primary copy while its node is up, else the backup copy (the acting primary);
    /// null when both nodes are down.
    /// </summary>
    public SessionCopy? Acting
    {
        get
        {
            if (!Primary.IsDown)
            {
                return PrimaryCopy;
            }

            // Demand for a down node is what probes it back (besides the store's probe loop).
            Primary.RequestProbe();
            return Backup is { IsDown: false } ? BackupCopy : null;
        }
    }

    /// <summary>The copy that is not <paramref name="copy"/>.</summary>
    public SessionCopy? Other(SessionCopy copy) => copy.IsPrimary ? BackupCopy : PrimaryCopy;
}
