namespace Festa.Accounts;

/// <summary>The demo users every Festa node creates when they are missing. The passwords are public: demos only.</summary>
public static class DemoUsers
{
    /// <summary>User name and password of each demo user.</summary>
    public static IReadOnlyList<(string Username, string Password)> All { get; } =
    [
        ("alice", "alice-festa-2026"),
        ("bob", "bob-festa-2026"),
        ("carol", "carol-festa-2026"),
    ];
}
