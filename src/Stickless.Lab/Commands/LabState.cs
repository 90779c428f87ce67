using System.Text.Json;

namespace Stickless.Lab.Commands;

/// <summary>What a running <c>stickless up</c> serves, written to <c>.lab/state.json</c> for <c>status</c> and scripts.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="LabPid">The lab process.</param>
/// <param name="FrontendUrl">HAProxy's front end.</param>
/// <param name="DashboardUrl">The dashboard.</param>
/// <param name="StatsUrl">HAProxy's stats page.</param>
/// <param name="RunDirectory">Configuration and logs.</param>
/// <param name="Processes">Role → pid of every process it started.</param>
internal sealed record LabState(string Strategy, int LabPid, string FrontendUrl, string DashboardUrl, string StatsUrl, string RunDirectory,
    IReadOnlyDictionary<string, int> Processes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the state file.</summary>
    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads the state file; null when there is none or it is unreadable.</summary>
    public static LabState? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LabState>(File.ReadAllText(path), Json);
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            return null;
        }
    }
}
