using System.Text;
using BenchmarkDotNet.Attributes;

namespace Stickless.Benchmarks;

/// <summary>
/// One request's store work on a typical session: ten attributes of 50–100 bytes. A read-only request is one
/// load; a writing request is a load and a commit of one changed attribute.
/// </summary>
[MemoryDiagnoser]
public class InMemorySessionStoreBenchmarks
{
    private const int AttributeCount = 10;

    private InMemorySessionStore _store = null!;
    private string _id = null!;
    private SessionLoadOptions _readOnly;
    private byte[] _changedValue = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemorySessionStore(TimeProvider.System, SessionEventPublisher.None);
        _id = SessionIds.Create();
        var now = TimeProvider.System.GetUtcNow();
        var attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal);
        for (var i = 0; i < AttributeCount; i++)
        {
            // 50 to 95 bytes of JSON each.
            var json = "{\"item\":" + i + ",\"label\":\"" + new string('x', 30 + (i * 5)) + "\"}";
            attributes["attribute" + i] = AttributeChange.Set(Encoding.UTF8.GetBytes(json));
        }

        var created = _store.CommitAsync(new SessionChangeSet
        {
            SessionId = _id,
            IsNew = true,
            Now = now,
            IdleTimeout = TimeSpan.FromHours(1),
            AbsoluteExpiry = now.AddHours(8),
            Attributes = attributes,
        }, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (created.Status != CommitStatus.Committed)
        {
            throw new InvalidOperationException($"Setup failed: {created.Status}.");
        }

        // A touch threshold the benchmark never reaches: this measures the load that writes nothing.
        _readOnly = new SessionLoadOptions(now, TimeSpan.FromHours(1));
        _changedValue = Encoding.UTF8.GetBytes("{\"item\":3,\"label\":\"" + new string('y', 45) + "\"}");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true)]
    public SessionRecord? LoadReadOnly() => Wait(_store.LoadAsync(_id, _readOnly, CancellationToken.None));

    [Benchmark]
    public CommitResult LoadAndCommitOneAttribute()
    {
        var record = Wait(_store.LoadAsync(_id, _readOnly, CancellationToken.None))!;
        var version = record.Attributes["attribute3"].Version;
        var changes = new SessionChangeSet
        {
            SessionId = _id,
            Now = record.LastAccessedAt,
            Attributes = new Dictionary<string, AttributeChange>(1, StringComparer.Ordinal)
            {
                ["attribute3"] = AttributeChange.Set(_changedValue, version),
            },
        };
        return Wait(_store.CommitAsync(changes, CancellationToken.None));
    }

    // The in-memory store completes synchronously; this avoids measuring the async machinery of the harness.
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
