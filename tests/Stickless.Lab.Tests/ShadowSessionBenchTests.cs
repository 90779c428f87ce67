using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>The shadow model's judgements, as tables of observation scripts (pure logic, no server).</summary>
public sealed class ShadowSessionBenchTests
{
    /// <summary>
    /// Script steps: <c>login</c>, <c>anon</c> (a 401), <c>counter N</c> (acknowledged value),
    /// <c>add ID</c> / <c>remove ID</c> (acknowledged wishlist writes), <c>fail ID</c> (a wishlist
    /// write without an answer), <c>read A,B</c> (a wishlist read on a live session; <c>read -</c> is empty).
    /// Expected: sessions lost, stale reads, lost updates.
    /// </summary>
    public static TheoryData<string, string, int, int, int> Scripts => new()
    {
        // why: increments acknowledged in order are exactly what the model expects
        { "counter in order", "login; counter 1; counter 2; counter 3", 0, 0, 0 },

        // why: right after sign-in the counter is unknown (sign-in keeps the anonymous session's data), so the first value is adopted
        { "first counter adopted", "login; counter 5; counter 6", 0, 0, 0 },

        // why: 1 after an acknowledged 2 means the increment that produced 2 was overwritten
        { "counter went backwards", "login; counter 1; counter 2; counter 1", 0, 0, 1 },

        // why: an increment that failed without an answer may have been committed; a jump is not a loss
        { "counter jump adopted", "login; counter 1; counter 3; counter 4", 0, 0, 0 },

        // why: a lost session takes its counter with it; the restart at 1 is not a second loss
        { "session loss resets the counter", "login; counter 1; counter 2; anon; login; counter 1", 1, 0, 0 },

        // why: an acknowledged add that is read back
        { "wishlist agrees", "login; add 3; read 3", 0, 0, 0 },

        // why: the add is missing once and then shows up: stale, not lost
        { "stale once then healed", "login; add 3; read -; read 3", 0, 1, 0 },

        // why: missing on the first read and the next two: lost for good (and each of those reads was stale)
        { "missing three reads in a row", "login; add 3; read -; read -; read -", 0, 3, 1 },

        // why: missing twice, then back: two stale reads, no loss
        { "missing twice then healed", "login; add 3; read -; read -; read 3", 0, 2, 0 },

        // why: a loss is confirmed once; the model then adopts the server's view and later reads agree
        { "loss confirmed once", "login; add 3; read -; read -; read -; read -", 0, 3, 1 },

        // why: an acknowledged remove still shown
        { "removed item still shown", "login; add 3; remove 3; read 3; read -", 0, 1, 0 },

        // why: a write without an answer makes the item uncertain; the next read decides it, either way
        { "uncertain item present", "login; fail 3; read 3; read 3", 0, 0, 0 },
        { "uncertain item absent", "login; fail 3; read -; read -", 0, 0, 0 },

        // why: a read showed a write that was never acknowledged, then a failover rolled it back (kill-lagging-master under WAIT): not a loss
        { "unacknowledged item rolled back", "login; read -; fail 3; read 3; read -; read -; read -", 0, 0, 0 },

        // why: once an add of the same item is acknowledged, it is judged again
        { "acknowledged after unacknowledged", "login; read -; fail 3; read 3; add 3; read -; read -; read -", 0, 3, 1 },

        // why: the first read after sign-in is adopted; a later read missing an item disagrees
        { "first read adopted", "login; read 4,7; read 4,7; read 4", 0, 1, 0 },

        // why: once the wishlist is known, an item nobody added is a disagreement too
        { "item nobody added", "login; read -; read 9", 0, 1, 0 },

        // why: a 401 counts only when the user believed it was signed in
        { "anonymous before sign-in", "anon", 0, 0, 0 },
        { "one loss per sign-in", "login; anon; anon", 1, 0, 0 },

        // why: the wishlist of a lost session is not expected in the next one
        { "session loss resets the wishlist", "login; add 3; anon; login; read -", 1, 0, 0 },

        // why: each loss is one occurrence, however often it happens
        { "repeated losses", "login; anon; login; anon; login; anon", 3, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Observed_CountsAsExpected(string name, string script, int sessionsLost, int staleReads, int lostUpdates)
    {
        var model = new ShadowSession();
        var total = ShadowVerdict.None;
        foreach (var step in script.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var verdict = Apply(model, step);
            total = new ShadowVerdict(
                total.SessionsLost + verdict.SessionsLost,
                total.StaleReads + verdict.StaleReads,
                total.LostUpdates + verdict.LostUpdates);
        }

        Assert.True(
            total == new ShadowVerdict(sessionsLost, staleReads, lostUpdates),
            $"{name}: expected lost {sessionsLost}/stale {staleReads}/updates {lostUpdates}, got {total}");
    }

    [Fact]
    public void CounterDisagrees_ValueBelowExpected_IsTrueWithoutChangingTheModel()
    {
        var model = new ShadowSession();
        model.OnSignedIn();
        model.OnCounterAcknowledged(4);

        Assert.True(model.CounterDisagrees(2));
        Assert.False(model.CounterDisagrees(5));
        Assert.Equal(4, model.Counter);
    }

    [Fact]
    public void WishlistDisagrees_MissingItem_IsTrueWithoutCountingIt()
    {
        var model = new ShadowSession();
        model.OnSignedIn();
        model.OnWishlistWritten("3", present: true);

        Assert.True(model.WishlistDisagrees([]));
        Assert.True(model.WishlistDisagrees([]));
        Assert.Equal(new ShadowVerdict(0, 0, 0), model.OnWishlistRead(["3"]));
    }

    [Fact]
    public void OnAnonymous_SignedIn_ForgetsSessionState()
    {
        var model = new ShadowSession();
        model.OnSignedIn();
        model.OnCounterAcknowledged(7);
        model.OnWishlistWritten("2", present: true);

        model.OnAnonymous();

        Assert.False(model.SignedIn);
        Assert.Null(model.Counter);
        Assert.Empty(model.ExpectedWishlist);
    }

    private static ShadowVerdict Apply(ShadowSession model, string step)
    {
        var parts = step.Split(' ', 2);
        var argument = parts.Length > 1 ? parts[1] : string.Empty;
        switch (parts[0])
        {
            case "login":
                model.OnSignedIn();
                return ShadowVerdict.None;
            case "anon":
                return model.OnAnonymous();
            case "counter":
                return model.OnCounterAcknowledged(long.Parse(argument, System.Globalization.CultureInfo.InvariantCulture));
            case "add":
                model.OnWishlistWritten(argument, present: true);
                return ShadowVerdict.None;
            case "remove":
                model.OnWishlistWritten(argument, present: false);
                return ShadowVerdict.None;
            case "fail":
                model.OnWishlistWriteFailed(argument);
                return ShadowVerdict.None;
            case "read":
                string[] items = argument == "-" ? [] : argument.Split(',');
                return model.OnWishlistRead(items);
            default:
                throw new ArgumentException($"unknown step '{step}'");
        }
    }
}
