using System.Text;

namespace Stickless.Memcached.Tests.Infrastructure;

/// <summary>What a <see cref="HostileMemcachedServer"/> does with one request.</summary>
/// <param name="Bytes">Sent as is (malformed on purpose, or not).</param>
/// <param name="Close">Close the connection after sending.</param>
/// <param name="ByteByByte">Send one byte at a time, flushing each (a reply split across many TCP segments).</param>
public sealed record HostileReply(byte[] Bytes, bool Close = false, bool ByteByByte = false)
{
    public static HostileReply Raw(string text, bool close = false) => new(Encoding.Latin1.GetBytes(text), close);

    /// <summary>Send nothing, ever, on this connection from now on.</summary>
    public static HostileReply Silence { get; } = new([]) { IsSilence = true };

    public bool IsSilence { get; init; }
}
