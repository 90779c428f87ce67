namespace Stickless.Lab.Deployment;

/// <summary>How to start a node's program: the executable, the arguments before Festa's command line, its environment.</summary>
/// <param name="FileName">The executable (<c>dotnet</c>, the path of <c>node</c>).</param>
/// <param name="LeadingArguments">What comes before <c>--urls</c> (the assembly or the script).</param>
/// <param name="Environment">Environment variables beside the lab's own.</param>
internal sealed record LabNodeProgram(string FileName, IReadOnlyList<string> LeadingArguments, IReadOnlyDictionary<string, string> Environment);
