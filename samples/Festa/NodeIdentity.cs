using Microsoft.Extensions.Options;

namespace Festa;

/// <summary>The name this node answers with in <c>X-Served-By</c> and <c>/me</c>.</summary>
public sealed class NodeIdentity(IOptions<FestaOptions> options)
{
    private readonly string? _configured = string.IsNullOrWhiteSpace(options.Value.NodeName) ? null : options.Value.NodeName.Trim();
    private string? _derived;

    /// <summary>
    /// The configured <c>Festa:NodeName</c>, or <c>festa-</c> and the local port (several nodes on one
    /// machine differ by port), or the machine name when the port is unknown (a test server).
    /// </summary>
    public string NameFor(HttpContext context)
    {
        if (_configured is not null)
        {
            return _configured;
        }

        var port = context.Connection.LocalPort;
        return _derived ??= port > 0 ? $"festa-{port}" : $"festa-{Environment.MachineName}";
    }
}
