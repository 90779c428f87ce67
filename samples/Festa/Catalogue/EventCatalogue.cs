namespace Festa.Catalogue;

/// <summary>
/// The seeded, read-only event catalogue: the same <see cref="Count"/> events on every node, so any node can
/// check a wishlist id. There are more than 100 so that a test can add 100 distinct events at once.
/// </summary>
public static class EventCatalogue
{
    /// <summary>The number of events.</summary>
    public const int Count = 120;

    private static readonly string[] Kinds =
    [
        "Jazz Night", "Indie Rock Live", "Techno Warehouse", "Folk Evening", "Opera Gala", "Street Food Fair",
        "Film Festival", "Comedy Club", "Poetry Slam", "Chamber Music", "Design Market", "Dance Marathon",
    ];

    private static readonly string[] Cities =
    [
        "Lisbon", "Berlin", "Kraków", "Porto", "Lyon", "Turin", "Ghent", "Tallinn", "Bologna", "Seville",
    ];

    private static readonly DateOnly FirstDate = new(2026, 6, 1);

    /// <summary>Every event, ordered by id.</summary>
    public static IReadOnlyList<FestaEvent> All { get; } = Enumerable.Range(1, Count)
        .Select(id => new FestaEvent(
            id,
            Kinds[(id - 1) % Kinds.Length],
            Cities[(id - 1) / Kinds.Length % Cities.Length],
            FirstDate.AddDays(id * 37 % 183)))
        .ToArray();

    /// <summary>Finds an event by the id as it appears in a URL; false for anything that is not a catalogue id.</summary>
    public static bool TryFind(string? id, out FestaEvent festaEvent)
    {
        if (int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number is >= 1 and <= Count)
        {
            festaEvent = All[number - 1];
            return true;
        }

        festaEvent = null!;
        return false;
    }
}
