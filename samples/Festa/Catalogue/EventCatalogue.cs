namespace Festa.Catalogue;

/// <summary>
/// The seeded, read-only event catalogue: the same <see cref="Count"/> events on every node, so any node can
/// check a wishlist id. There are more than 200 so that a test (or a demo) can add 200 distinct events at once.
/// </summary>
/// <remarks>
/// The catalogue is generated, not random: event <c>n</c> is the same on every node and in every run. Each
/// kind of event appears in ten different cities, no (kind, city) pair repeats, and no two events share a
/// day of the year that starts on 1 June 2026.
/// </remarks>
public static class EventCatalogue
{
    /// <summary>The number of events (ids 1 to 240).</summary>
    public const int Count = 240;

    private static readonly string[] Kinds =
    [
        "Jazz Night", "Indie Rock Live", "Techno Warehouse", "Folk Evening", "Opera Gala", "Street Food Fair",
        "Film Festival", "Comedy Club", "Poetry Slam", "Chamber Music", "Design Market", "Dance Marathon",
        "Blues Session", "Open-Air Cinema", "Flamenco Show", "Baroque Concert", "Craft Beer Festival", "Puppet Theatre",
        "Vinyl Fair", "Choir Concert", "Contemporary Ballet", "Silent Disco", "Photography Walk", "Wine Tasting",
    ];

    private static readonly string[] Cities =
    [
        "Lisbon", "Berlin", "Kraków", "Porto", "Lyon", "Turin", "Ghent",
        "Tallinn", "Bologna", "Seville", "Ljubljana", "Utrecht", "Gothenburg", "Valencia",
    ];

    private static readonly DateOnly FirstDate = new(2026, 6, 1);

    /// <summary>Every event, ordered by id.</summary>
    public static IReadOnlyList<FestaEvent> All { get; } = Enumerable.Range(1, Count).Select(Create).ToArray();

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

    private static FestaEvent Create(int id)
    {
        // id - 1 = round * Kinds.Length + kind. Moving three cities on per round (3 is prime to 14) keeps every
        // (kind, city) pair distinct while there are no more rounds (10) than cities (14).
        var kind = (id - 1) % Kinds.Length;
        var round = (id - 1) / Kinds.Length;
        var city = (kind + (round * 3)) % Cities.Length;

        // 151 is prime to 365: every id below 365 gets its own day, and consecutive ids are months apart.
        var date = FirstDate.AddDays(id * 151 % 365);
        return new FestaEvent(id, Kinds[kind], Cities[city], date);
    }
}
