namespace Stickless.Memcached.Protocol;

/// <summary>How an <c>ms</c> stores its value.</summary>
/// <param name="Mode">Set, add or replace.</param>
/// <param name="TtlSeconds">
/// The time to live, in seconds, 1 to 2,592,000 (30 days). Always sent: an <c>ms</c> without <c>T</c> stores an
/// item that never expires, and a larger number is read by memcached as a Unix time.
/// </param>
/// <param name="ClientFlags">The 32-bit client flags (<c>F</c>); 0 is not sent.</param>
/// <param name="Cas">When not 0, store only if the item's CAS token still equals this (<c>C</c>); a missing item answers <c>NF</c>.</param>
/// <param name="ReturnCas">True to ask for the new CAS token (<c>c</c>).</param>
internal readonly record struct MetaSetOptions(MetaSetMode Mode, int TtlSeconds, uint ClientFlags = 0, ulong Cas = 0, bool ReturnCas = false);
