using System.Buffers.Text;
using System.Security.Cryptography;

namespace Stickless;

/// <summary>Session ids: 256 bits from the operating system's CSPRNG, encoded as unpadded base64url (43 characters).</summary>
public static class SessionIds
{
    /// <summary>The number of random bytes in an id (256 bits, above OWASP's 64-bit entropy minimum).</summary>
    public const int ByteLength = 32;

    /// <summary>The length of an encoded id.</summary>
    public const int EncodedLength = 43;

    /// <summary>Creates a new id.</summary>
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// True when <paramref name="candidate"/> has the shape of an id this library issues: exactly
    /// <see cref="EncodedLength"/> base64url characters. Shape says nothing about whether the id was issued:
    /// only the store knows that, and unknown ids are never adopted.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length != EncodedLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            var ok = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_';
            if (!ok)
            {
                return false;
            }
        }

        // 43 characters carry 258 bits: the last character may only use the top 4 bits' values.
        return Base64Url.IsValid(candidate, out var decodedLength) && decodedLength == ByteLength;
    }
}
