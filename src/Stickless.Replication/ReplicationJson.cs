using System.Text.Json.Serialization;

namespace Stickless.Replication;

/// <summary>Source-generated JSON for the statistics message (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ReplicationStatistics))]
internal sealed partial class ReplicationJson : JsonSerializerContext;
