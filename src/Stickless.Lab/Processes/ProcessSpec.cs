namespace Stickless.Lab.Processes;

/// <summary>How to start one supervised process.</summary>
/// <param name="Name">The role (<c>node1</c>, <c>haproxy</c>, <c>redis</c>); names the pid file.</param>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="LogPath">Where its standard output and error go (appended).</param>
/// <param name="WorkingDirectory">Its working directory.</param>
internal sealed record ProcessSpec(string Name, string FileName, IReadOnlyList<string> Arguments, string LogPath, string WorkingDirectory)
{
    /// <summary>Environment variables set for the process, beside the lab's own.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The command line, for people and pid files.</summary>
    public string CommandLine => string.Join(' ', Arguments.Prepend(FileName).Select(ShellQuote.Quote));
}
