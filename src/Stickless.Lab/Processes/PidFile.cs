using System.Text.Json;

namespace Stickless.Lab.Processes;

/// <summary>Reads and writes pid files (one JSON <see cref="PidFileRecord"/> each).</summary>
internal static class PidFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="record"/> to <paramref name="path"/> atomically (write, then rename).</summary>
    public static void Write(string path, PidFileRecord record)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a pid file; null when it is missing or unreadable.</summary>
    public static PidFileRecord? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PidFileRecord>(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Deletes a pid file if it is there.</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Gone already or being replaced: either way it no longer names a process of ours.
        }
    }
}
