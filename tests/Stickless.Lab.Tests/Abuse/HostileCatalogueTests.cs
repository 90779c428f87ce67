using System.Text;
using Stickless.Lab.Abuse;
using Xunit;

namespace Stickless.Lab.Tests.Abuse;

/// <summary>The abusive requests themselves and the leak scanner, without a server.</summary>
public sealed class HostileCatalogueTests
{
    private static readonly AttackerIdentity Me = new("evil-1", HostileCatalogue.ForgedId(), HostileCatalogue.ForgedId());

    [Fact]
    public void Draw_ManyTimes_EveryFamilyComesUpAndEveryRequestIsWhole()
    {
        var random = new Random(7);

        var drawn = Enumerable.Range(0, 3000).Select(_ => HostileCatalogue.Draw(random, Me)).ToList();

        Assert.Equal(HostileCatalogue.Kinds.Order(StringComparer.Ordinal), drawn.Select(static r => r.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.All(drawn, static r =>
        {
            Assert.NotEmpty(r.Bytes);
            Assert.False(string.IsNullOrWhiteSpace(r.Why));
        });

        // Apart from the protocol family's deliberate breakage, a request head ends with an empty line.
        Assert.All(drawn.Where(static r => r.Kind != "protocol"), static r =>
            Assert.True(Encoding.Latin1.GetString(r.Bytes).Contains("\r\n\r\n", StringComparison.Ordinal), r.Why));
    }

    [Fact]
    public void Draw_SameSeed_SameFamiliesInTheSameOrder()
    {
        // The forged ids themselves come from the CSPRNG on purpose; the seed fixes what is tried, and in which order.
        var a = new Random(3);
        var b = new Random(3);

        Assert.Equal(
            Enumerable.Range(0, 50).Select(_ => HostileCatalogue.Draw(a, Me).Kind),
            Enumerable.Range(0, 50).Select(_ => HostileCatalogue.Draw(b, Me).Kind));
    }

    [Fact]
    public void ForgedId_LooksIssued_43Base64UrlCharacters()
    {
        var id = HostileCatalogue.ForgedId();

        Assert.Equal(43, id.Length);
        Assert.All(id, static c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    [Theory]
    [InlineData("in the body", "HTTP/1.1 200 OK", "{\"x\":\"CANARY-abc\"}", "canary of u1")]
    [InlineData("in a header", "X-Leak: CANARY-abc", "", "canary of u1")]
    [InlineData("a session id in Set-Cookie", "Set-Cookie: stickless=ID-123; path=/", "", "session id of u1")]
    [InlineData("nothing of theirs", "X-Served-By: node1", "{\"username\":\"evil-1\"}", null)]
    public void Find_AnswerHoldingASecret_NamesIt(string why, string header, string body, string? expected)
    {
        var leaks = new LeakScanner();
        leaks.Add("canary of u1", "CANARY-abc");
        leaks.Add("session id of u1", "ID-123");
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        var response = new RawHttpResponse(RawOutcome.Answered, 200, colon > 0 && !header.StartsWith("HTTP", StringComparison.Ordinal) ? [new(header[..colon], header[(colon + 1)..].Trim())] : [], Encoding.UTF8.GetBytes(body), TimeSpan.Zero);

        Assert.True(expected == leaks.Find(response), why);
    }

    [Fact]
    public void TryParse_Defaults_AndEveryBadOptionListed()
    {
        Assert.True(AbuseArguments.TryParse([], out var defaults, out _));
        Assert.Equal(("redis", 60.0, 8, 16, 8), (defaults.Strategy, defaults.Duration.TotalSeconds, defaults.Attackers, defaults.SlowClients, defaults.Users));

        Assert.False(AbuseArguments.TryParse(["--attackers", "0", "--duration", "2", "--users", "x", "--nope", "1"], out _, out var errors));
        Assert.Equal(4, errors.Count);
    }
}
