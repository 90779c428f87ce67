namespace Stickless.Conformance;

// Rule 7: bad input gets a clear error or a fresh session, never a crash, a hang, or another user's data.
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>Ids no one issued, each chosen to break a naive store (a protocol delimiter, a hash tag, a size limit).</summary>
    public static TheoryData<string> OddIds => new()
    {
        " ",                                   // whitespace only
        "a b",                                 // a space splits a text-protocol key
        "line\r\nmg evil v",                   // an injected text-protocol command
        "{tag}",                               // a Redis Cluster hash tag
        "}{",                                  // an unbalanced hash tag
        new string('x', 251),                  // one byte over memcached's key limit
        new string('y', 10_000),               // far beyond any key limit
        "ünïcödé-ïd",                          // non-ASCII
        "\0\u0001\u007f",                      // control characters
        "%00%0d%0a",                           // percent-encoded controls
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // shaped like an id, with padding
    };

    [Theory]
    [MemberData(nameof(OddIds))]
    public async Task Rule7_IdsNobodyIssued_LoadNullDeleteFalseCommitNotFoundAndTheStoreStillWorks(string id)
    {
        var other = await CreateAsync(attributes: [("owner", "other")]);

        Assert.Null(await Tolerating(() => LoadAsync(A, id)));
        Assert.False(await Tolerating(() => B.DeleteAsync(id, Ct), fallback: false));
        var status = await ToleratingAsync(async () => (CommitStatus?)(await SetAsync(A, id, "a", "1")).Status);
        Assert.True(status is null or CommitStatus.NotFound, $"a commit to an id nobody issued answered {status}");
        Assert.Equal("other", Text((await LoadAsync(B, other))!.Attributes["owner"]));
        Assert.Null(await Tolerating(() => LoadAsync(B, id)));
    }

    [Fact]
    public async Task Rule7_AttributeNamesAndValuesOfAnyBytes_RoundTripExactly()
    {
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var big = new byte[60 * 1024];
        Random.Shared.NextBytes(big);
        var id = await CreateAsync();

        var result = await A.CommitAsync(Change(
            id,
            ("with space", AttributeChange.Set(Bytes("v"))),
            ("line\r\nbreak", AttributeChange.Set(Bytes("\r\nEND\r\n"))),
            ("{tag}:colon", AttributeChange.Set(Bytes("x"))),
            ("ünï", AttributeChange.Set(Bytes("ü"))),
            ("binary", AttributeChange.Set(binary)),
            ("empty", AttributeChange.Set(Array.Empty<byte>())),
            ("big", AttributeChange.Set(big))), Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        var record = await LoadAsync(B, id);
        Assert.Equal("v", Text(record!.Attributes["with space"]));
        Assert.Equal("\r\nEND\r\n", Text(record.Attributes["line\r\nbreak"]));
        Assert.Equal("x", Text(record.Attributes["{tag}:colon"]));
        Assert.Equal("ü", Text(record.Attributes["ünï"]));
        Assert.Equal(binary, record.Attributes["binary"].Value.ToArray());
        Assert.Equal(0, record.Attributes["empty"].Value.Length);
        Assert.Equal(big, record.Attributes["big"].Value.ToArray());
    }

    [Fact]
    public async Task Rule7_ManySessionsReadAtOnceOnTwoNodes_EachGetsOnlyItsOwnData()
    {
        var ids = new string[16];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = await CreateAsync(attributes: [("owner", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }

        await Task.WhenAll(Enumerable.Range(0, 400).Select(n => Task.Run(async () =>
        {
            var i = n % ids.Length;
            var record = await LoadAsync(n % 2 == 0 ? A : B, ids[i]);
            Assert.Equal(ids[i], record!.Id);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(record.Attributes["owner"]));
        })));
    }

    // A store may refuse an id it could never have issued with a clear ArgumentException; anything else (a failure of its
    // connection, a hang) is a bug.
    private static async Task<T?> Tolerating<T>(Func<ValueTask<T?>> call, T? fallback = default)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException)
        {
            return fallback;
        }
    }

    private static async Task<T?> ToleratingAsync<T>(Func<Task<T?>> call, T? fallback = default)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException)
        {
            return fallback;
        }
    }
}
