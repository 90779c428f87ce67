namespace Stickless.AspNetCore;

/// <summary>Marks a controller, action, Razor Page or endpoint handler that never uses the session (see <see cref="IWithoutSessionMetadata"/>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class WithoutSessionAttribute : Attribute, IWithoutSessionMetadata
{
}
