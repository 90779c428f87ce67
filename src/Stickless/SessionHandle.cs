using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Stickless;

/// <summary>
/// Opaque handles for showing a user their sessions: a truncated SHA-256 digest of the id. A handle
/// identifies a session to its owner without revealing the id, and cannot be turned back into one.
/// </summary>
public static class SessionHandle
{
    /// <summary>The handle of <paramref name="sessionId"/> (22 base64url characters, 128 bits).</summary>
    public static string For(string sessionId)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(sessionId), digest);
        return Base64Url.EncodeToString(digest[..16]);
    }

    /// <summary>True when <paramref name="handle"/> is the handle of <paramref name="sessionId"/> (constant time).</summary>
    public static bool Matches(string sessionId, string handle) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(For(sessionId)), Encoding.ASCII.GetBytes(handle));
}
