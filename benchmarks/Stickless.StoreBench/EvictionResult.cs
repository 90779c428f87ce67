using System.Globalization;
using System.Text;

namespace Stickless.StoreBench;

/// <summary>What memcached under memory pressure did to sessions.</summary>
/// <param name="MemoryMegabytes">memcached's -m.</param>
/// <param name="Created">Sessions created, oldest first.</param>
/// <param name="SessionBytes">Approximate value size of each.</param>
/// <param name="SurvivedByDecile">Per tenth of the sessions by creation order (oldest first), how many still load.</param>
/// <param name="ActiveSurvived">Of the sessions read throughout (the "active users"), how many still load.</param>
/// <param name="Active">How many were read throughout.</param>
/// <param name="Evictions">memcached's own <c>evictions</c> counter.</param>
/// <param name="CommitsToEvicted">What a commit to an evicted session answered.</param>
internal sealed record EvictionResult(int MemoryMegabytes, int Created, int SessionBytes, IReadOnlyList<int> SurvivedByDecile, int ActiveSurvived, int Active, long Evictions, string CommitsToEvicted)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Eviction pressure: memcached -m {MemoryMegabytes}, {Created} sessions of ~{SessionBytes} bytes created one after another; memcached evicted {Evictions} items.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Still loadable per tenth of the sessions, oldest first: {string.Join(" | ", SurvivedByDecile)} (of {Created / 10} each).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Sessions read all along (active users): {ActiveSurvived} of {Active} survived.");
        text.Append(CultureInfo.InvariantCulture, $"An evicted session loads as null (the user gets a fresh, signed-out session); a commit to it answers {CommitsToEvicted}.");
        return text.ToString();
    }
}
