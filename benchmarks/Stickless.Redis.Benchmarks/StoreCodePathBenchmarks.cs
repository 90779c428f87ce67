using System.Text;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Stickless.Redis.Benchmarks;

/// <summary>
/// The store's own work on a request's hot path, without the network: reading a load script's reply (as
/// StackExchange.Redis hands it over) into a <see cref="SessionRecord"/>, and building a commit's keys and arguments.
/// </summary>
[MemoryDiagnoser]
public class StoreCodePathBenchmarks
{
    private RedisSessionStore _store = null!;
    private RedisResult[] _loadReply = null!;
    private SessionChangeSet _commit = null!;
    private string _id = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Never connects: the benchmarks call only what runs between the replies.
        _store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = "127.0.0.1:1", SweepInterval = TimeSpan.Zero });
        _id = SessionIds.Create();

        // {'ok', now, touched, field, value, …}: the metadata fields and 10 attributes (value and version), as load.lua answers.
        var items = new List<RedisResult> { RedisResult.Create((RedisValue)"ok"), RedisResult.Create((RedisValue)1_795_000_000_000L), RedisResult.Create((RedisValue)0) };
        void Field(string name, RedisValue value)
        {
            items.Add(RedisResult.Create((RedisValue)name));
            items.Add(RedisResult.Create(value));
        }

        Field("rev", "1");
        Field("created", "1794990000000");
        Field("last", "1794999000000");
        Field("idle", "1200000");
        Field("abs", "1795020000000");
        Field("principal", "alice");
        Field("gen", "10");
        for (var i = 0; i < 10; i++)
        {
            Field($"a:attribute-{i}", Encoding.UTF8.GetBytes(new string((char)('a' + i), 20 + (i * 4))));
            Field($"v:attribute-{i}", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _loadReply = [.. items];
        _commit = new SessionChangeSet
        {
            SessionId = _id,
            Now = DateTimeOffset.UtcNow,
            Attributes = new Dictionary<string, AttributeChange> { ["counter"] = AttributeChange.Set("12345"u8.ToArray(), 7) },
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark]
    public SessionRecord ReadLoadReplyOf10Attributes() => _store.ReadRecord(_id, _loadReply, isGraceAlias: false);

    [Benchmark]
    public (RedisKey[] Keys, RedisValue[] Args) BuildCommitOfOneAttribute() => _store.BuildCommit(_commit, _id, newId: null, believed: "alice");
}
