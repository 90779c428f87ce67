namespace EndToEnd.Tests.Infrastructure;

/// <summary>A fact that is skipped when Node.js is not installed, and only then.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <c>node</c> is not on PATH.</summary>
    public NodeFactAttribute()
    {
        if (NodeJs.NodePath is null)
        {
            Skip = "Node.js (node) is not installed; the browser check needs it.";
        }
    }
}
