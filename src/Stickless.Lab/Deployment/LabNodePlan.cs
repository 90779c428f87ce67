namespace Stickless.Lab.Deployment;

/// <summary>A Festa node before it starts: its name, its port, and its place in the deployment.</summary>
/// <param name="Index">1-based.</param>
/// <param name="Name">The node name (<c>node1</c>, …), which Festa puts in <c>X-Served-By</c>.</param>
/// <param name="Port">Its loopback port.</param>
internal sealed record LabNodePlan(int Index, string Name, int Port)
{
    /// <summary>Its base address.</summary>
    public Uri Url { get; } = new($"http://127.0.0.1:{Port}/");
}
