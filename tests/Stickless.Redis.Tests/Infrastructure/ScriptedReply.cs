using System.Text;

namespace Stickless.Redis.Tests.Infrastructure;

/// <summary>What a <see cref="ScriptedRedisServer"/> does with one command.</summary>
/// <param name="Bytes">Sent as is (may be malformed on purpose).</param>
/// <param name="Close">Close the connection after sending.</param>
/// <param name="Delay">Wait this long before sending (later commands wait too: replies stay in order).</param>
public sealed record ScriptedReply(byte[] Bytes, bool Close = false, TimeSpan Delay = default)
{
    public static ScriptedReply Raw(string text, bool close = false) => new(Encoding.UTF8.GetBytes(text), close);

    /// <summary>Send nothing, ever, on this connection from now on (a server that stopped answering).</summary>
    public static ScriptedReply Silence(string partial = "") => new(Encoding.UTF8.GetBytes(partial)) { IsSilence = true };

    public bool IsSilence { get; init; }
}
