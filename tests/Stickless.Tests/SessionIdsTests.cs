using System.Buffers.Text;

namespace Stickless.Tests;

public sealed class SessionIdsTests
{
    [Fact]
    public void Create_Always_Returns43Base64UrlCharactersOf256Bits()
    {
        var id = SessionIds.Create();

        Assert.Equal(SessionIds.EncodedLength, id.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(id).Length);
        Assert.True(SessionIds.IsWellFormed(id));
    }

    [Fact]
    public void Create_TenThousandTimes_AllDistinct()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(ids.Add(SessionIds.Create()));
        }
    }

    public static TheoryData<string, bool, string> Candidates => new()
    {
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true, "43 base64url characters, all zero bits" },
        { "_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-w", true, "the url-safe alphabet's '-' and '_', last character within the 256 bits" },
        { "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", true, "mixed letters; Q's low bits are zero" },
        { "", false, "empty" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "42 characters: one short" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "44 characters: one long" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false, "padding is not part of an issued id" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", false, "'+' is standard base64, not base64url" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/", false, "'/' is standard base64, not base64url" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ", false, "trailing space" },
        { " AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "leading space" },
        { "AAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", false, "a dot, as in a signed cookie value" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAÄ", false, "non-ASCII letter" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\0", false, "NUL character" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", false, "43rd character sets bits beyond the 256 (non-canonical encoding)" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_", false, "43rd character sets bits beyond the 256 (non-canonical encoding)" },
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "far too long" },
    };

    [Theory]
    [MemberData(nameof(Candidates))]
    public void IsWellFormed_Candidate_MatchesTable(string candidate, bool expected, string why)
    {
        Assert.True(SessionIds.IsWellFormed(candidate) == expected, why);
    }
}
