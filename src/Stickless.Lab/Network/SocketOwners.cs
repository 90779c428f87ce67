using System.Globalization;

namespace Stickless.Lab.Network;

/// <summary>
/// Which process opened a loopback TCP connection, from Linux's own tables: the connecting socket's inode in
/// /proc/net/tcp (its local port, and the port it reached), then the process among the candidates whose /proc/pid/fd
/// holds <c>socket:[inode]</c>. This is how one listening port can tell the lab's processes apart, since on loopback they
/// all connect from 127.0.0.1.
/// </summary>
internal static class SocketOwners
{
    // ::ffff:127.0.0.1 in /proc/net/tcp6: 80 zero bits, 16 one bits, then the IPv4 address as /proc/net/tcp writes it.
    private const string MappedPrefix = "0000000000000000FFFF0000";

    /// <summary>
    /// The name of the candidate process whose socket connected from <paramref name="clientPort"/> to <paramref name="serverPort"/>
    /// on loopback; null when the connection is gone or none of the candidates holds it.
    /// </summary>
    /// <param name="clientPort">The connecting side's port (the accepted socket's remote port).</param>
    /// <param name="serverPort">The port it connected to.</param>
    /// <param name="candidates">The processes that may have opened it: pid → name.</param>
    /// <param name="tcpTable">The text of /proc/net/tcp; null to read it now.</param>
    public static string? Find(int clientPort, int serverPort, IReadOnlyDictionary<int, string> candidates, string? tcpTable = null)
    {
        // A dual-mode (IPv6) socket connecting to 127.0.0.1 is listed in tcp6 as ::ffff:127.0.0.1.
        var inode = InodeOf(clientPort, serverPort, tcpTable ?? File.ReadAllText("/proc/net/tcp"))
            ?? (tcpTable is null && File.Exists("/proc/net/tcp6") ? InodeOf(clientPort, serverPort, File.ReadAllText("/proc/net/tcp6")) : null);
        if (inode is null)
        {
            return null;
        }

        var target = $"socket:[{inode}]";
        foreach (var (pid, name) in candidates)
        {
            if (Holds(pid, target))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// The inode of the socket whose local port is <paramref name="localPort"/> and remote port <paramref name="remotePort"/>,
    /// on 127.0.0.1 both sides, in the text of /proc/net/tcp; null when there is no such line.
    /// </summary>
    internal static string? InodeOf(int localPort, int remotePort, string tcpTable)
    {
        // "  1: 0100007F:E3D0 0100007F:9F4B 01 00000000:00000000 00:00000000 00000000     0        0 123456 1 …"
        var local = string.Create(CultureInfo.InvariantCulture, $"0100007F:{localPort:X4}");
        var remote = string.Create(CultureInfo.InvariantCulture, $"0100007F:{remotePort:X4}");
        var local6 = MappedPrefix + local;
        var remote6 = MappedPrefix + remote;
        foreach (var line in tcpTable.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && (fields[1] == local || fields[1] == local6) && (fields[2] == remote || fields[2] == remote6) && fields[9] != "0")
            {
                return fields[9];
            }
        }

        return null;
    }

    private static bool Holds(int pid, string target)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget == target)
                    {
                        return true;
                    }
                }
                catch (IOException)
                {
                    // The descriptor closed while we looked.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }

        return false;
    }
}
