using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Stickless.Memcached;

/// <summary>
/// What the store writes instead of ids: a keyed hash (HMAC-SHA256 with the configured key, 43 base64url characters)
/// names every item, and the few ids the store must be able to read back (a grace alias's successor, the sessions in a
/// user's index) are sealed with AES-GCM under a key derived from the same secret. Raw ids and user names never reach
/// memcached, its dumps or its logs.
/// </summary>
internal sealed class SessionKeys
{
    private readonly byte[] _hashKey;
    private readonly byte[] _sealKey;
    private readonly string _prefix;

    public SessionKeys(string hashKey, string prefix)
    {
        _hashKey = Encoding.UTF8.GetBytes(hashKey);
        _sealKey = HMACSHA256.HashData(_hashKey, "stickless-memcached-seal-v1"u8);
        _prefix = prefix;
    }

    /// <summary>The keyed hash of a session id: it places the session on the ring and names its items.</summary>
    public string HashOf(string sessionId) => Digest("s\0" + sessionId);

    /// <summary>The key of the session's primary copy.</summary>
    public byte[] PrimaryKey(string hash) => Encoding.ASCII.GetBytes(_prefix + "s:" + hash);

    /// <summary>The key of the session's backup copy (on the next distinct node).</summary>
    public byte[] BackupKey(string hash) => Encoding.ASCII.GetBytes(_prefix + "b:" + hash);

    /// <summary>The keyed hash of a principal, which places and names its index.</summary>
    public string IndexHashOf(string principal) => Digest("u\0" + principal);

    /// <summary>The key of a principal's index.</summary>
    public byte[] IndexKey(string indexHash) => Encoding.ASCII.GetBytes(_prefix + "u:" + indexHash);

    /// <summary>Encrypts and authenticates <paramref name="plain"/>: nonce (12) | tag (16) | ciphertext.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plain)
    {
        var sealed_ = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(sealed_.AsSpan(0, 12));
        using var aes = new AesGcm(_sealKey, 16);
        aes.Encrypt(sealed_.AsSpan(0, 12), plain, sealed_.AsSpan(28), sealed_.AsSpan(12, 16));
        return sealed_;
    }

    /// <summary>Opens what <see cref="Seal"/> made; null when it was not sealed with this key or was changed.</summary>
    public byte[]? Open(ReadOnlySpan<byte> sealed_)
    {
        if (sealed_.Length < 28)
        {
            return null;
        }

        var plain = new byte[sealed_.Length - 28];
        try
        {
            using var aes = new AesGcm(_sealKey, 16);
            aes.Decrypt(sealed_[..12], sealed_[28..], sealed_.Slice(12, 16), plain);
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private string Digest(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(text), digest);
        return Base64Url.EncodeToString(digest);
    }
}
