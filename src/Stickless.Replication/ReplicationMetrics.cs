using System.Diagnostics.Metrics;

namespace Stickless.Replication;

/// <summary>
/// The replicated store's instruments on the meter <c>Stickless</c>, beside the peer traffic counters:
/// <c>stickless.replication.writes</c> (writes the owner applied), <c>stickless.replication.forwarded</c> (loads and
/// commits sent to the owner, tagged <c>operation</c>), <c>stickless.replication.forward.duration</c> (s),
/// <c>stickless.replication.conflicts</c> and <c>stickless.replication.deletes_won</c> (at a heal),
/// and the gauges <c>stickless.sessions.held</c>, <c>stickless.sessions.bytes_held</c> (By) and
/// <c>stickless.replication.tombstones</c>.
/// </summary>
internal sealed class ReplicationMetrics
{
    public const string MeterName = "Stickless";

    private static readonly Meter SharedMeter = new(MeterName);

    private readonly Counter<long> _writes;
    private readonly Counter<long> _forwarded;
    private readonly Histogram<double> _forwardDuration;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _deletesWon;
    private long _writeCount;
    private long _forwardedLoads;
    private long _forwardedCommits;
    private long _forwardedLoadTicks;
    private long _localLoads;
    private long _conflictCount;
    private long _deletesWonCount;
    private long _copyFailures;

    public ReplicationMetrics(Meter? meter, Func<long> sessionsHeld, Func<long> bytesHeld, Func<long> tombstones)
    {
        Meter = meter ?? SharedMeter;
        _writes = Meter.CreateCounter<long>("stickless.replication.writes", "{write}", "Writes (commits, touches, deletes) the owner applied and copied.");
        _forwarded = Meter.CreateCounter<long>("stickless.replication.forwarded", "{call}", "Loads and commits a non-owner sent to the owner.");
        _forwardDuration = Meter.CreateHistogram<double>("stickless.replication.forward.duration", "s", "Time of one forwarded call, answer included.");
        _conflicts = Meter.CreateCounter<long>("stickless.replication.conflicts", "{session}", "Sessions written on both sides of a partition, found at the heal.");
        _deletesWon = Meter.CreateCounter<long>("stickless.replication.deletes_won", "{session}", "Sessions deleted on one side of a partition and alive on the other: the delete won at the heal.");
        Meter.CreateObservableGauge("stickless.sessions.held", sessionsHeld, "{session}", "Live sessions this node holds a copy of.");
        Meter.CreateObservableGauge("stickless.sessions.bytes_held", bytesHeld, "By", "Bytes of the live sessions this node holds.");
        Meter.CreateObservableGauge("stickless.replication.tombstones", tombstones, "{session}", "Tombstones this node holds.");
    }

    public Meter Meter { get; }

    public long Writes => Interlocked.Read(ref _writeCount);

    public long ForwardedLoads => Interlocked.Read(ref _forwardedLoads);

    public long ForwardedCommits => Interlocked.Read(ref _forwardedCommits);

    public double ForwardedLoadSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _forwardedLoadTicks)).TotalSeconds;

    public long LocalLoads => Interlocked.Read(ref _localLoads);

    public long Conflicts => Interlocked.Read(ref _conflictCount);

    public long DeletesWon => Interlocked.Read(ref _deletesWonCount);

    public long CopyFailures => Interlocked.Read(ref _copyFailures);

    public void Write()
    {
        Interlocked.Increment(ref _writeCount);
        _writes.Add(1);
    }

    public void LocalLoad() => Interlocked.Increment(ref _localLoads);

    public void Forwarded(string operation, TimeSpan elapsed)
    {
        if (operation == "load")
        {
            Interlocked.Increment(ref _forwardedLoads);
            Interlocked.Add(ref _forwardedLoadTicks, elapsed.Ticks);
        }
        else if (operation == "commit")
        {
            Interlocked.Increment(ref _forwardedCommits);
        }

        var tag = new KeyValuePair<string, object?>("operation", operation);
        _forwarded.Add(1, tag);
        _forwardDuration.Record(elapsed.TotalSeconds, tag);
    }

    public void Conflict()
    {
        Interlocked.Increment(ref _conflictCount);
        _conflicts.Add(1);
    }

    public void DeleteWon()
    {
        Interlocked.Increment(ref _deletesWonCount);
        _deletesWon.Add(1);
    }

    public void CopyFailed() => Interlocked.Increment(ref _copyFailures);
}
