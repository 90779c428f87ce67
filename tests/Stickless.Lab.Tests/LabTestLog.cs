using System.Collections.Concurrent;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Tests;

/// <summary>An <see cref="ILabLog"/> that keeps its lines, for failure messages.</summary>
internal sealed class LabTestLog : ILabLog
{
    private readonly ConcurrentQueue<string> lines = new();

    public void Info(string message) => lines.Enqueue(message);

    public void Warn(string message) => lines.Enqueue("! " + message);

    public override string ToString() => string.Join(Environment.NewLine, lines);
}
