namespace Stickless.Redis.Tests.Store;

public sealed class RedisSessionEventMessageTests
{
    private const string Id = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string NewId = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA";

    public static TheoryData<string, SessionEventKind, string?, string?> Good => new()
    {
        { $"C|1700000000000|{Id}||", SessionEventKind.Created, null, null },
        { $"D|1700000000000|{Id}||alice", SessionEventKind.Deleted, null, "alice" },
        // The principal is last so that it may hold the separator.
        { $"E|1700000000000|{Id}||a|b", SessionEventKind.Expired, null, "a|b" },
        { $"R|1700000000000|{Id}|{NewId}|bob", SessionEventKind.IdRenewed, NewId, "bob" },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void TryParse_WellFormed_Parses(string text, SessionEventKind kind, string? newId, string? principal)
    {
        Assert.True(RedisSessionEventMessage.TryParse(text, out var e));
        Assert.Equal(kind, e!.Kind);
        Assert.Equal(Id, e.SessionId);
        Assert.Equal(newId, e.NewSessionId);
        Assert.Equal(principal, e.Principal);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), e.At);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData($"X|1|{Id}||", "unknown kind")]
    [InlineData($"CC|1|{Id}||", "kind longer than one letter")]
    [InlineData($"C|-1|{Id}||", "negative time")]
    [InlineData($"C|abc|{Id}||", "time not a number")]
    [InlineData($"C|99999999999999999|{Id}||", "time past DateTimeOffset.MaxValue")]
    [InlineData("C|1|short||", "id not well formed")]
    [InlineData($"C|1|{Id}|", "too few fields")]
    [InlineData($"R|1|{Id}||", "renewed without a new id")]
    [InlineData($"C|1|{Id}|{NewId}|", "a new id on an event that is not a renewal")]
    public void TryParse_Malformed_Refused(string text, string why)
    {
        Assert.False(RedisSessionEventMessage.TryParse(text, out _), why);
    }
}
