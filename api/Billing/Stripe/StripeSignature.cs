using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Taskee.Api.Billing.Stripe;

/// <summary>The outcome of checking a webhook delivery's signature.</summary>
public enum SignatureCheck
{
    Valid,
    NotConfigured,
    Missing,
    Malformed,
    Stale,
    NoMatch,
}

/// <summary>
/// Stripe's webhook signature: header <c>Stripe-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;...]</c>, where
/// each <c>v1</c> is HMAC-SHA256, keyed with the endpoint's signing secret, of <c>"{t}.{raw body}"</c>. Any <c>v1</c>
/// matching any configured secret is accepted (Stripe sends one per active secret during a rotation); other schemes
/// (<c>v0</c>) are ignored. Pure, and compares in constant time.
/// </summary>
public static class StripeSignature
{
    public const string HeaderName = "Stripe-Signature";

    private const int SignatureBytes = 32;

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (secrets.Count == 0) return SignatureCheck.NotConfigured;
        if (string.IsNullOrWhiteSpace(header)) return SignatureCheck.Missing;

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0) continue;
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (key == "t")
            {
                if (timestamp is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) return SignatureCheck.Malformed;
                timestamp = t;
            }
            else if (key == "v1" && value.Length == SignatureBytes * 2 && TryParseHex(value, out var signature))
            {
                signatures.Add(signature);
            }
        }
        if (timestamp is not { } seconds || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || signatures.Count == 0)
            return SignatureCheck.Malformed;

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return SignatureCheck.Stale;

        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = Compute(secret, seconds, body);
            foreach (var signature in signatures)
            {
                // No early exit: the time taken does not depend on which secret or signature matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }
        return matched ? SignatureCheck.Valid : SignatureCheck.NoMatch;
    }

    /// <summary>HMAC-SHA256 of <c>"{timestamp}.{body}"</c> keyed with the secret (its UTF-8 bytes, <c>whsec_</c> included).</summary>
    public static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryParseHex(string hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length;
    }
}
