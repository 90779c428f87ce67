namespace Stickless.StoreBench;

/// <summary>One store, one operation, one concurrency.</summary>
/// <param name="Store">memcached or redis.</param>
/// <param name="Operation">load (read-only, no touch) or commit (one attribute, blind).</param>
/// <param name="Concurrency">Callers at once.</param>
/// <param name="OpsPerSecond">Operations completed per second.</param>
/// <param name="P50Ms">Median latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="P999Ms">99.9th percentile latency.</param>
/// <param name="ServerRequestsPerOp">Requests the server counted (memcached stats, Redis INFO) per operation.</param>
internal sealed record BenchRow(string Store, string Operation, int Concurrency, double OpsPerSecond, double P50Ms, double P99Ms, double P999Ms, double ServerRequestsPerOp);
