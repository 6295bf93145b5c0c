using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Taskee.Grains.Audit;

/// <summary>
/// A personal value as the audit log stores it: AES-256-GCM under the key of the person it is about (crypto-shredding).
/// The text form <c>pii1.{keyId}.{base64url(nonce | ciphertext | tag)}</c> uses only URL- and path-safe characters, so
/// it can stand anywhere a string stands: an actor id, an IP, a segment of a target, a string inside before/after.
/// The hash chain covers this text; destroying the key forgets the value and leaves the chain intact.
/// </summary>
public static partial class SealedValue
{
    public const string Prefix = "pii1.";

    /// <summary>What an export shows for a value whose key was destroyed.</summary>
    public const string Erased = "[erased]";

    private const byte StringKind = (byte)'s';
    private const byte JsonKind = (byte)'j';
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>A sealed value anywhere in a text: the key id is a ULID (Crockford base32), the rest base64url.</summary>
    [GeneratedRegex(@"pii1\.([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{38,})", RegexOptions.CultureInvariant)]
    public static partial Regex Pattern();

    /// <summary>Seals a string, or (with <paramref name="isJson"/>) the compact JSON text of an object or array.</summary>
    public static string Seal(ReadOnlySpan<byte> key, string keyId, string value, bool isJson = false)
    {
        var plain = new byte[1 + Encoding.UTF8.GetByteCount(value)];
        plain[0] = isJson ? JsonKind : StringKind;
        Encoding.UTF8.GetBytes(value, plain.AsSpan(1));
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), AssociatedData(keyId));
        CryptographicOperations.ZeroMemory(plain);
        return Prefix + keyId + "." + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>True when <paramref name="text"/> is exactly one sealed value (not merely containing one).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out string? keyId)
    {
        keyId = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var match = Pattern().Match(text);
        if (!match.Success || match.Index != 0 || match.Length != text.Length) return false;
        keyId = match.Groups[1].Value;
        return true;
    }

    /// <summary>The key ids named by the sealed values inside <paramref name="text"/>.</summary>
    public static IEnumerable<string> KeyIdsIn(string? text) =>
        text is null || !text.Contains(Prefix, StringComparison.Ordinal)
            ? []
            : Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Opens a sealed value (the whole token); false when it is not one or was not sealed with this key.</summary>
    public static bool TryOpen(string token, ReadOnlySpan<byte> key, out string value, out bool isJson)
    {
        value = "";
        isJson = false;
        var match = Pattern().Match(token);
        if (!match.Success) return false;
        var keyId = match.Groups[1].Value;
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(match.Groups[2].Value);
        }
        catch (FormatException)
        {
            return false;
        }
        if (sealedBytes.Length < NonceSize + 1 + TagSize) return false;
        var plainLength = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[plainLength];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plainLength),
                sealedBytes.AsSpan(NonceSize + plainLength), plain, AssociatedData(keyId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        isJson = plain[0] == JsonKind;
        value = Encoding.UTF8.GetString(plain, 1, plain.Length - 1);
        return true;
    }

    // Binds a ciphertext to the key id it names, so it cannot be moved under another person's key.
    private static byte[] AssociatedData(string keyId) => Encoding.ASCII.GetBytes(Prefix + keyId);
}
