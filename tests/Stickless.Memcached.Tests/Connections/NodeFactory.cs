using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Memcached.Connections;

namespace Stickless.Memcached.Tests.Connections;

internal static class NodeFactory
{
    public static MemcachedNode Create(int port, TimeSpan? operationTimeout = null, bool flush = true) =>
        new("127.0.0.1", port, new MemcachedNodeSettings(
            OperationTimeout: operationTimeout ?? TimeSpan.FromSeconds(5),
            ConnectTimeout: TimeSpan.FromSeconds(5),
            ProbeInterval: TimeSpan.FromMilliseconds(50),
            FlushOnReadmission: flush), TimeProvider.System, NullLogger.Instance);
}
