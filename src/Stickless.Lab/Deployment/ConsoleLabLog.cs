namespace Stickless.Lab.Deployment;

/// <summary>Writes the lab's steps to standard error, so standard output keeps only what a script may parse.</summary>
internal sealed class ConsoleLabLog : ILabLog
{
    /// <summary>The one console log.</summary>
    public static ConsoleLabLog Instance { get; } = new();

    /// <inheritdoc/>
    public void Info(string message) => Console.Error.WriteLine($"  {message}");

    /// <inheritdoc/>
    public void Warn(string message) => Console.Error.WriteLine($"! {message}");
}
