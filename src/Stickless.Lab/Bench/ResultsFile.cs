using System.Text.Json;

namespace Stickless.Lab.Bench;

/// <summary>Reads and writes <c>results.json</c> (camelCase, indented, nulls kept).</summary>
internal static class ResultsFile
{
    /// <summary>The file name inside the output folder.</summary>
    public const string FileName = "results.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes <paramref name="results"/> to <c>DIR/results.json</c>, creating the folder.</summary>
    /// <returns>The file's full path.</returns>
    public static async Task<string> WriteAsync(string directory, BenchResults results, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, results, Options, ct).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Reads <c>DIR/results.json</c>.</summary>
    /// <exception cref="FileNotFoundException">There is no results file.</exception>
    /// <exception cref="JsonException">The file is not results JSON.</exception>
    public static async Task<BenchResults> ReadAsync(string directory, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BenchResults>(stream, Options, ct).ConfigureAwait(false)
            ?? throw new JsonException($"{path} holds no results");
    }
}
