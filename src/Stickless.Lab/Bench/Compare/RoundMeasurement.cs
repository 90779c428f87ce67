using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench.Compare;

/// <summary>One round of one strategy: what the workload measured, and what it cost the store.</summary>
/// <param name="Result">The workload's figures.</param>
/// <param name="Store">The store's commands during the measured run (after minus before); null without Redis.</param>
/// <param name="StartedAt">When the measured run started.</param>
internal sealed record RoundMeasurement(WorkloadResult Result, RedisCommandStats? Store, DateTimeOffset StartedAt);
