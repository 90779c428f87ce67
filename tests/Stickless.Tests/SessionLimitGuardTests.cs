namespace Stickless.Tests;

public sealed class SessionLimitGuardTests
{
    private static readonly SessionLimits Limits = new() { MaxNameLength = 10, MaxAttributeBytes = 100, MaxAttributeCount = 3, MaxTotalBytes = 200 };

    [Fact]
    public void EnsureWithinLimits_AllWithin_DoesNotThrow()
    {
        SessionLimitGuard.EnsureWithinLimits(Limits, "cart", 100, 3, 200);
    }

    [Fact]
    public void EnsureWithinLimits_NameTooLong_ThrowsNamingLimitValueAndAttribute()
    {
        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureWithinLimits(Limits, "abcdefghijk", 1, 1, 12));

        Assert.Equal("Session attribute name 'abcdefghijk' is 11 characters long; SessionLimits.MaxNameLength is 10.", ex.Message);
        Assert.Equal(nameof(SessionLimits.MaxNameLength), ex.LimitName);
        Assert.Equal(10, ex.Limit);
        Assert.Equal(11, ex.Actual);
        Assert.Equal("abcdefghijk", ex.AttributeName);
    }

    [Fact]
    public void EnsureWithinLimits_ValueTooLarge_ThrowsNamingLimitValueAndAttribute()
    {
        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureWithinLimits(Limits, "cart", 101, 1, 105));

        Assert.Equal("Session attribute 'cart' is 101 bytes; SessionLimits.MaxAttributeBytes is 100.", ex.Message);
        Assert.Equal(nameof(SessionLimits.MaxAttributeBytes), ex.LimitName);
    }

    [Fact]
    public void EnsureWithinLimits_TooManyAttributes_ThrowsNamingLimitValueAndAttribute()
    {
        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureWithinLimits(Limits, "cart", 1, 4, 50));

        Assert.Equal("Writing session attribute 'cart' would make 4 attributes; SessionLimits.MaxAttributeCount is 3.", ex.Message);
        Assert.Equal(4, ex.Actual);
    }

    [Fact]
    public void EnsureWithinLimits_TotalTooLarge_ThrowsNamingLimitValueAndAttribute()
    {
        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureWithinLimits(Limits, "cart", 50, 2, 201));

        Assert.Equal("Writing session attribute 'cart' would make the session 201 bytes (names and values); SessionLimits.MaxTotalBytes is 200.", ex.Message);
        Assert.Equal(nameof(SessionLimits.MaxTotalBytes), ex.LimitName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EnsureValidName_NullOrEmpty_ThrowsArgumentException(string? name)
    {
        Assert.ThrowsAny<ArgumentException>(() => SessionLimitGuard.EnsureValidName(Limits, name!));
    }

    [Fact]
    public void EnsureValidName_HugeName_MessageShortened()
    {
        var name = new string('x', 10_000);

        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureValidName(Limits, name));

        Assert.True(ex.Message.Length < 200, ex.Message);
        Assert.Contains("10000 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryBytes_NonAsciiName_CountsUtf8Bytes()
    {
        Assert.Equal(2 + 5, SessionLimitGuard.EntryBytes("ż", 5));
    }

    [Fact]
    public void EnsureCanSet_ReplacingExisting_CountsOnlyTheDifference()
    {
        var current = new Dictionary<string, SessionAttribute>
        {
            ["a"] = new(new byte[90], 1),
            ["b"] = new(new byte[90], 2),
        };

        // Replacing b keeps 2 attributes and 1 + 90 + 1 + 100 = 192 bytes.
        SessionLimitGuard.EnsureCanSet(Limits, current, "b", 100);
        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureCanSet(Limits, current, "c", 20));
        Assert.Equal(nameof(SessionLimits.MaxTotalBytes), ex.LimitName);
        Assert.Equal(1 + 90 + 1 + 90 + 1 + 20, ex.Actual);
    }

    [Fact]
    public void EnsureCanSet_FourthAttribute_ThrowsCount()
    {
        var current = new Dictionary<string, SessionAttribute>
        {
            ["a"] = new(new byte[1], 1),
            ["b"] = new(new byte[1], 2),
            ["c"] = new(new byte[1], 3),
        };

        var ex = Assert.Throws<SessionLimitExceededException>(() => SessionLimitGuard.EnsureCanSet(Limits, current, "d", 1));

        Assert.Equal(nameof(SessionLimits.MaxAttributeCount), ex.LimitName);
    }
}
