using System.Text.RegularExpressions;

namespace Stickless.Tests;

/// <summary>Conventions that hold across every assembly of the repository, checked on its sources.</summary>
public sealed partial class RepositoryConventionTests
{
    [Fact]
    public void LogEventIds_AreUniqueAcrossEveryAssembly()
    {
        var seen = new Dictionary<int, string>();
        var duplicates = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in EventIdPattern().Matches(File.ReadAllText(file)))
            {
                var id = int.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var where = $"{Path.GetFileName(file)} ({match.Groups["name"].Value})";
                if (!seen.TryAdd(id, where))
                {
                    duplicates.Add($"{id}: {seen[id]} and {where}");
                }
            }
        }

        Assert.NotEmpty(seen);
        Assert.True(duplicates.Count == 0, "Log event ids used twice: " + string.Join("; ", duplicates));
    }

    [GeneratedRegex(@"EventId\s*=\s*(?<id>\d+)\s*,\s*EventName\s*=\s*""(?<name>[^""]+)""")]
    private static partial Regex EventIdPattern();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stickless.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Stickless.slnx) is not above " + AppContext.BaseDirectory);
    }
}
