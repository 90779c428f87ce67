using System.Security.Cryptography;
using System.Text;

namespace Stickless.Redis;

/// <summary>
/// One of the store's Lua scripts: its text, which StackExchange.Redis loads once per server (SCRIPT LOAD,
/// then EVALSHA), and its SHA-1, for the WAIT lanes that send <c>EVALSHA</c> themselves.
/// </summary>
internal sealed class RedisSessionScript
{
    public RedisSessionScript(string name, string text)
    {
        Name = name;
        Text = text;
#pragma warning disable CA5350 // Redis names scripts by SHA-1; no security rests on it.
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
    }

    /// <summary>The file name under Scripts/ (for logs and errors).</summary>
    public string Name { get; }

    public string Text { get; }

    /// <summary>The lowercase hex SHA-1 Redis names the script by.</summary>
    public string Sha1 { get; }

    public override string ToString() => Name;
}
