using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Tests.Resp;

/// <summary>
/// Replies a real Redis never sends but a broken or hostile peer might. Each must be a
/// <see cref="RespProtocolException"/> (so the connection is dropped), never a hang, a crash or a huge allocation.
/// </summary>
public sealed class RespReaderMalformedTests
{
    [Theory]
    // Type bytes
    [InlineData("?what\r\n", "'?' is not a RESP type byte")]
    [InlineData("hello\r\n", "an inline (telnet-style) line is not a reply")]
    [InlineData("\r\n", "an empty line has no type byte")]
    [InlineData("\0\0\0\0", "binary garbage: NUL is not a type byte")]
    // Line terminators
    [InlineData("+OK\n", "LF without CR ends the line")]
    [InlineData("+O\rK\r\n", "a bare CR inside a simple string")]
    [InlineData(":12\n", "integer line ends with LF only")]
    // Integers
    [InlineData(":\r\n", "an integer with no digits")]
    [InlineData(":12a\r\n", "an integer with a letter in it")]
    [InlineData(": 12\r\n", "an integer with a leading space")]
    [InlineData(":9223372036854775808\r\n", "an integer one past long.MaxValue overflows")]
    [InlineData(":1.5\r\n", "an integer with a decimal point")]
    // Bulk string lengths
    [InlineData("$-2\r\n", "a negative length other than -1")]
    [InlineData("$-1000\r\n", "a large negative length")]
    [InlineData("$abc\r\nabc\r\n", "a length that is not digits")]
    [InlineData("$\r\n\r\n", "an empty length")]
    [InlineData("$+3\r\nabc\r\n", "a length with a sign")]
    [InlineData("$ 3\r\nabc\r\n", "a length with a space")]
    [InlineData("$3.0\r\nabc\r\n", "a fractional length")]
    [InlineData("$99999999999999999999\r\n", "a length too long to be a number (20 digits)")]
    [InlineData("$67108865\r\n", "a length one byte over the 64 MiB limit: rejected before any byte of it is awaited")]
    [InlineData("$9223372036854775807\r\n", "long.MaxValue as a length: rejected, never allocated")]
    [InlineData("$?\r\n;4\r\nabcd\r\n;0\r\n", "a streamed string (Redis never sends one)")]
    // Bulk string payloads
    [InlineData("$3\r\nabcd\r\n", "payload longer than its length: no CRLF where it should be")]
    [InlineData("$5\r\nabc\r\nXY", "payload shorter than its length: the bytes where CRLF belongs are not CRLF")]
    [InlineData("$3\r\nabcXY", "payload followed by two bytes that are not CRLF")]
    [InlineData("$3\r\nabc\n\r", "payload followed by LF CR instead of CRLF")]
    // Arrays and other aggregates
    [InlineData("*-2\r\n", "an array length below -1")]
    [InlineData("*x\r\n", "an array length that is not digits")]
    [InlineData("*1048577\r\n", "an array over the 1,048,576-element limit: rejected, never allocated")]
    [InlineData("*9223372036854775807\r\n", "long.MaxValue elements: rejected, never allocated")]
    [InlineData("*2\r\n:1\r\n?\r\n", "a bad element inside an array")]
    [InlineData("%-1\r\n", "a map cannot be null")]
    [InlineData("~-1\r\n", "a set cannot be null")]
    [InlineData(">-1\r\n", "a push cannot be null")]
    [InlineData("%1048577\r\n", "a map over the element limit")]
    [InlineData("*?\r\n:1\r\n.\r\n", "a streamed aggregate (Redis never sends one)")]
    // RESP3 scalars
    [InlineData("_x\r\n", "a null with data")]
    [InlineData("#x\r\n", "a boolean that is neither t nor f")]
    [InlineData("#true\r\n", "a boolean spelled out")]
    [InlineData("#\r\n", "an empty boolean")]
    [InlineData(",abc\r\n", "a double that is not a number")]
    [InlineData(",\r\n", "an empty double")]
    [InlineData(", 1.5\r\n", "a double with a leading space")]
    [InlineData("(12a\r\n", "a big number with a letter")]
    [InlineData("(\r\n", "an empty big number")]
    [InlineData("(-\r\n", "a big number that is only a sign")]
    [InlineData("!-1\r\n", "a bulk error cannot be null")]
    [InlineData("=3\r\ntxt\r\n", "a verbatim string shorter than its 'xxx:' format prefix")]
    [InlineData("=5\r\ntxt-a\r\n", "a verbatim string whose fourth byte is not ':'")]
    [InlineData("=-1\r\n", "a verbatim string cannot be null")]
    public void TryRead_MalformedReply_ThrowsProtocolException(string wire, string why)
    {
        var bytes = Encoding.UTF8.GetBytes(wire);

        var error = Record.Exception(() =>
        {
            var reader = new RespReader(new System.Buffers.ReadOnlySequence<byte>(bytes));
            reader.TryRead(out _);
        });

        Assert.True(error is RespProtocolException, $"{why}: expected RespProtocolException, got {error?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public void TryRead_NestingDeeperThanLimit_ThrowsProtocolException()
    {
        // 33 levels of arrays: past the default depth limit of 32, which keeps the recursion's stack bounded.
        var wire = string.Concat(Enumerable.Repeat("*1\r\n", 33)) + ":1\r\n";

        Assert.Throws<RespProtocolException>(() => Read(wire));
    }

    [Fact]
    public void TryRead_LineWithoutCrlfBeyondLimit_ThrowsInsteadOfWaitingForever()
    {
        // A peer streaming a "simple string" that never ends must not make us buffer without bound.
        var options = new RespReaderOptions { MaxLineLength = 100 };
        var wire = "+" + new string('a', 200);

        Assert.Throws<RespProtocolException>(() => Read(wire, options));
    }

    [Fact]
    public void TryRead_LineWithoutCrlfWithinLimit_IsIncomplete()
    {
        var options = new RespReaderOptions { MaxLineLength = 100 };

        Assert.False(Read("+" + new string('a', 50), options));
    }

    [Fact]
    public void TryRead_IncompleteReplyOverMaxReplyBytes_ThrowsProtocolException()
    {
        // Many tiny elements of an array that never completes: each is legal, the total is not.
        var options = new RespReaderOptions { MaxReplyBytes = 1000, MaxBulkLength = 500 };
        var wire = "*100000\r\n" + string.Concat(Enumerable.Repeat(":1\r\n", 400));

        Assert.Throws<RespProtocolException>(() => Read(wire, options));
    }

    [Fact]
    public void TryRead_HugeDeclaredArrayWithFewElements_IsIncompleteWithoutAllocatingIt()
    {
        // One million declared elements, two present: nothing may be allocated for the million.
        var wire = "*1000000\r\n:1\r\n:2\r\n";
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.False(Read(wire));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000, "no allocation sized by an untrusted length");
    }

    [Fact]
    public void TryRead_BulkLengthWithinLimitButNotArrived_IsIncompleteWithoutAllocatingIt()
    {
        var wire = "$60000000\r\nabc";
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.False(Read(wire));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000, "no allocation sized by an untrusted length");
    }

    [Fact]
    public void TryRead_BulkLengthOverConfiguredLimit_ThrowsProtocolException()
    {
        var options = new RespReaderOptions { MaxBulkLength = 10 };

        Assert.Throws<RespProtocolException>(() => Read("$11\r\n", options));
    }

    private static bool Read(string wire, RespReaderOptions? options = null)
    {
        var reader = new RespReader(RespTestBuffers.Single(wire), options);
        return reader.TryRead(out _);
    }
}
