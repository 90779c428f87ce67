using System.Collections.Concurrent;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Abuse;

/// <summary>What one attack family got back, counted by every attacker at once (thread-safe).</summary>
internal sealed class AttackTally
{
    /// <summary>The most example lines kept per problem list.</summary>
    public const int MaxExamples = 5;

    private readonly ConcurrentDictionary<int, long> statuses = new();
    private readonly ConcurrentQueue<string> violationExamples = new();
    private readonly ConcurrentQueue<string> leakExamples = new();
    private readonly LatencyHistogram latency = new();
    private readonly Lock latencyGate = new();
    private long requests;
    private long closed;
    private long timedOut;
    private long refused;
    private long serverErrors;
    private long violations;
    private long leaks;
    private long servedByNode;

    /// <summary>Creates the tally of <paramref name="kind"/>.</summary>
    public AttackTally(string kind) => Kind = kind;

    /// <summary>The family.</summary>
    public string Kind { get; }

    /// <summary>Counts one exchange and what was wrong with it (null problem and leak: nothing).</summary>
    public void Record(HostileRequest request, RawHttpResponse response, string? problem, string? leak)
    {
        Interlocked.Increment(ref requests);
        lock (latencyGate)
        {
            latency.Record(response.Elapsed);
        }

        switch (response.Outcome)
        {
            case RawOutcome.Answered:
                statuses.AddOrUpdate(response.Status, 1, static (_, n) => n + 1);
                if (response.Status >= 500)
                {
                    Interlocked.Increment(ref serverErrors);
                }

                break;
            case RawOutcome.Closed:
                Interlocked.Increment(ref closed);
                break;
            case RawOutcome.TimedOut:
                Interlocked.Increment(ref timedOut);
                break;
            default:
                Interlocked.Increment(ref refused);
                break;
        }

        if (response.ServedBy is not null)
        {
            Interlocked.Increment(ref servedByNode);
        }

        if (problem is not null)
        {
            Interlocked.Increment(ref violations);
            Keep(violationExamples, $"{request.Why}: {problem}");
        }

        if (leak is not null)
        {
            Interlocked.Increment(ref leaks);
            Keep(leakExamples, $"{request.Why}: the answer held the {leak}");
        }
    }

    /// <summary>The figures now.</summary>
    public AttackFigures Snapshot()
    {
        double p99;
        lock (latencyGate)
        {
            p99 = latency.PercentileMs(99);
        }

        return new AttackFigures
        {
            Kind = Kind,
            Requests = Interlocked.Read(ref requests),
            Statuses = new SortedDictionary<int, long>(statuses),
            Closed = Interlocked.Read(ref closed),
            TimedOut = Interlocked.Read(ref timedOut),
            Refused = Interlocked.Read(ref refused),
            ServerErrors = Interlocked.Read(ref serverErrors),
            Violations = Interlocked.Read(ref violations),
            Leaks = Interlocked.Read(ref leaks),
            ServedByNode = Interlocked.Read(ref servedByNode),
            P99Ms = Math.Round(p99, 1),
            ViolationExamples = [.. violationExamples],
            LeakExamples = [.. leakExamples],
        };
    }

    private static void Keep(ConcurrentQueue<string> examples, string line)
    {
        if (examples.Count < MaxExamples)
        {
            examples.Enqueue(line);
        }
    }
}
