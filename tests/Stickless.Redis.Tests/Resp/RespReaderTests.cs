using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Tests.Resp;

public sealed class RespReaderTests
{
    private static RespValue Bulk(string? text) => RespValue.FromBulkString(text);

    /// <summary>Well-formed replies of every RESP2 and RESP3 type, and what they must parse to.</summary>
    public static TheoryData<string, string, RespValue> WellFormed => new()
    {
        { "simple string", "+OK\r\n", RespValue.FromSimpleString("OK") },
        { "empty simple string", "+\r\n", RespValue.FromSimpleString("") },
        { "simple string with UTF-8", "+h\u00e9\r\n", RespValue.FromSimpleString("h\u00e9") },
        { "error", "-ERR unknown command\r\n", RespValue.FromError("ERR unknown command") },
        { "integer", ":1000\r\n", RespValue.FromInteger(1000) },
        { "negative integer", ":-42\r\n", RespValue.FromInteger(-42) },
        { "integer with plus sign (RESP3 allows it)", ":+7\r\n", RespValue.FromInteger(7) },
        { "largest integer", ":9223372036854775807\r\n", RespValue.FromInteger(long.MaxValue) },
        { "smallest integer", ":-9223372036854775808\r\n", RespValue.FromInteger(long.MinValue) },
        { "bulk string", "$5\r\nhello\r\n", Bulk("hello") },
        { "empty bulk string", "$0\r\n\r\n", Bulk("") },
        { "bulk string holding CRLF (binary safe)", "$4\r\na\r\nb\r\n", Bulk("a\r\nb") },
        { "RESP2 null bulk string", "$-1\r\n", Bulk(null) },
        { "array", "*2\r\n$3\r\nfoo\r\n:1\r\n", RespValue.FromArray(Bulk("foo"), RespValue.FromInteger(1)) },
        { "empty array", "*0\r\n", RespValue.FromArray([]) },
        { "RESP2 null array", "*-1\r\n", RespValue.FromArray(null) },
        { "nested array", "*2\r\n*1\r\n+a\r\n*0\r\n", RespValue.FromArray(RespValue.FromArray(RespValue.FromSimpleString("a")), RespValue.FromArray([])) },
        { "array holding a null", "*2\r\n$-1\r\n_\r\n", RespValue.FromArray(Bulk(null), RespValue.Null) },
        { "RESP3 null", "_\r\n", RespValue.Null },
        { "RESP3 true", "#t\r\n", RespValue.FromBoolean(true) },
        { "RESP3 false", "#f\r\n", RespValue.FromBoolean(false) },
        { "RESP3 double", ",1.5\r\n", RespValue.FromDouble(1.5) },
        { "RESP3 double with exponent", ",-2.5e3\r\n", RespValue.FromDouble(-2500) },
        { "RESP3 integral double", ",10\r\n", RespValue.FromDouble(10) },
        { "RESP3 infinity", ",inf\r\n", RespValue.FromDouble(double.PositiveInfinity) },
        { "RESP3 negative infinity", ",-inf\r\n", RespValue.FromDouble(double.NegativeInfinity) },
        { "RESP3 big number", "(3492890328409238509324850943850943825024385\r\n", RespValue.FromBigNumber("3492890328409238509324850943850943825024385") },
        { "RESP3 negative big number", "(-12\r\n", RespValue.FromBigNumber("-12") },
        { "RESP3 bulk error", "!21\r\nSYNTAX invalid syntax\r\n", RespValue.FromError("SYNTAX invalid syntax", bulk: true) },
        { "RESP3 verbatim string (format dropped)", "=15\r\ntxt:Some string\r\n", RespValue.FromVerbatimString(Encoding.UTF8.GetBytes("Some string")) },
        { "RESP3 empty verbatim string", "=4\r\ntxt:\r\n", RespValue.FromVerbatimString([]) },
        { "RESP3 map (flattened)", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", RespValue.FromAggregate(RespType.Map, [RespValue.FromSimpleString("first"), RespValue.FromInteger(1), RespValue.FromSimpleString("second"), RespValue.FromInteger(2)]) },
        { "RESP3 empty map", "%0\r\n", RespValue.FromAggregate(RespType.Map, []) },
        { "RESP3 set", "~2\r\n+a\r\n+b\r\n", RespValue.FromAggregate(RespType.Set, [RespValue.FromSimpleString("a"), RespValue.FromSimpleString("b")]) },
        { "RESP3 push", ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", RespValue.FromAggregate(RespType.Push, [Bulk("message"), Bulk("ch"), Bulk("hi")]) },
        { "RESP3 attribute before a value (attribute dropped)", "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n", RespValue.FromArray(RespValue.FromInteger(2)) },
        { "RESP3 attribute inside an array", "*2\r\n|1\r\n+k\r\n+v\r\n:1\r\n:2\r\n", RespValue.FromArray(RespValue.FromInteger(1), RespValue.FromInteger(2)) },
    };

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void TryRead_WellFormedReply_ParsesWholeReply(string why, string wire, RespValue expected)
    {
        var bytes = Encoding.UTF8.GetBytes(wire);
        var reader = new RespReader(RespTestBuffers.Single(wire));

        Assert.True(reader.TryRead(out var value), why);
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, reader.Consumed);
    }

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void TryRead_EveryStrictPrefix_ReturnsFalseAndConsumesNothing(string why, string wire, RespValue expected)
    {
        _ = expected;
        var bytes = Encoding.UTF8.GetBytes(wire);
        for (var length = 0; length < bytes.Length; length++)
        {
            var reader = new RespReader(new System.Buffers.ReadOnlySequence<byte>(bytes, 0, length));
            Assert.False(reader.TryRead(out _), $"{why}: a prefix of {length} bytes must be incomplete");
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void TryRead_SplitAcrossSegmentsAtAnyPoint_ParsesTheSame(string why, string wire, RespValue expected)
    {
        var bytes = Encoding.UTF8.GetBytes(wire);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var reader = new RespReader(RespTestBuffers.Split(bytes, cut, cut + 2));
            Assert.True(reader.TryRead(out var value), $"{why}: cut at {cut}");
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void TryRead_SeveralRepliesInOneBuffer_ReadsThemInOrder()
    {
        var reader = new RespReader(RespTestBuffers.Single("+OK\r\n:1\r\n$1\r\nx\r\n+PAR"));

        Assert.True(reader.TryRead(out var first));
        Assert.True(reader.TryRead(out var second));
        Assert.True(reader.TryRead(out var third));
        Assert.False(reader.TryRead(out _));

        Assert.Equal("OK", first.GetString());
        Assert.Equal(1, second.GetInt64());
        Assert.Equal("x", third.GetString());
        Assert.Equal(16, reader.Consumed);
    }

    [Fact]
    public void TryRead_OkSimpleString_ReturnsSharedInstance()
    {
        var a = new RespReader(RespTestBuffers.Single("+OK\r\n"));
        var b = new RespReader(RespTestBuffers.Single("+OK\r\n"));
        a.TryRead(out var first);
        b.TryRead(out var second);

        Assert.Same(first.GetString(), second.GetString());
    }

    [Fact]
    public void TryRead_DeepButAllowedNesting_Parses()
    {
        var wire = string.Concat(Enumerable.Repeat("*1\r\n", 32)) + ":1\r\n";
        var reader = new RespReader(RespTestBuffers.Single(wire));

        Assert.True(reader.TryRead(out _));
    }

    [Fact]
    public void TryRead_RespNaN_ParsesAsNaN()
    {
        var reader = new RespReader(RespTestBuffers.Single(",nan\r\n"));

        Assert.True(reader.TryRead(out var value));
        Assert.True(double.IsNaN(value.GetDouble()));
    }

    [Fact]
    public void TrySkip_CompleteReply_AdvancesWithoutBuilding()
    {
        var reader = new RespReader(RespTestBuffers.Single("*2\r\n$1\r\na\r\n$1\r\nb\r\n:5\r\n"));

        Assert.True(reader.TrySkip());
        Assert.True(reader.TryRead(out var next));
        Assert.Equal(5, next.GetInt64());
    }
}
