namespace Stickless;

/// <summary>
/// A store a package made available under a name (<c>InMemory</c>, <c>Redis</c>, ...). Registered in dependency
/// injection by <c>ISticklessBuilder.AddStore</c>; <see cref="SticklessOptions.Store"/> picks one by name, and only the
/// picked store is ever created (once, as a singleton).
/// </summary>
/// <param name="Name">The store's name (compared case-insensitively).</param>
/// <param name="Factory">Creates the store from the application's services.</param>
public sealed record SessionStoreRegistration(string Name, Func<IServiceProvider, ISessionStore> Factory);
