using System.Security.Cryptography;
using System.Text;

namespace Stickless.Redis;

/// <summary>
/// One of the store's Lua scripts: its text, loaded into a server when it answers NOSCRIPT, and its SHA-1, which
/// every call sends (EVALSHA).
/// </summary>
internal sealed class RedisSessionScript
{
    public RedisSessionScript(string name, string text)
    {
        Name = name;
        Text = text;
#pragma warning disable CA5350 // Redis names scripts by SHA-1; no security rests on it.
        Hash = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
        Sha1 = Convert.ToHexStringLower(Hash);
    }

    /// <summary>The file name under Scripts/ (for logs and errors).</summary>
    public string Name { get; }

    public string Text { get; }

    /// <summary>The lowercase hex SHA-1 Redis names the script by.</summary>
    public string Sha1 { get; }

    /// <summary>The SHA-1 itself (20 bytes), as StackExchange.Redis's EVALSHA overload takes it.</summary>
    public byte[] Hash { get; }

    public override string ToString() => Name;
}
