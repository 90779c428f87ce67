using System.Security.Cryptography;
using System.Text;

namespace Stickless.Redis.Connections;

/// <summary>
/// A Lua script, run with <c>EVALSHA</c> by its SHA-1 (computed here, as the server computes it) so that the
/// script text crosses the wire only when the server's script cache lacks it.
/// </summary>
public sealed class RedisScript
{
    /// <summary>Creates the script from its Lua source.</summary>
    public RedisScript(string lua)
    {
        ArgumentException.ThrowIfNullOrEmpty(lua);
        Lua = lua;
        LuaBytes = Encoding.UTF8.GetBytes(lua);
        // Redis names cached scripts by SHA-1; the hash is an identifier here, not a security measure.
#pragma warning disable CA5350
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(LuaBytes.Span));
#pragma warning restore CA5350
        Sha1Bytes = Encoding.ASCII.GetBytes(Sha1);
    }

    /// <summary>The Lua source.</summary>
    public string Lua { get; }

    /// <summary>The SHA-1 of the UTF-8 source, 40 lower-case hex digits (what <c>SCRIPT LOAD</c> returns).</summary>
    public string Sha1 { get; }

    internal ReadOnlyMemory<byte> LuaBytes { get; }

    internal ReadOnlyMemory<byte> Sha1Bytes { get; }

    /// <inheritdoc />
    public override string ToString() => $"RedisScript({Sha1})";
}
