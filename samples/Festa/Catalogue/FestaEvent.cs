namespace Festa.Catalogue;

/// <summary>An event in the catalogue.</summary>
/// <param name="Id">The event's id (1 to <see cref="EventCatalogue.Count"/>).</param>
/// <param name="Title">What it is.</param>
/// <param name="City">Where it is.</param>
/// <param name="Date">When it is.</param>
public sealed record FestaEvent(int Id, string Title, string City, DateOnly Date);
