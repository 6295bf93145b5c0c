using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Taskee.Client.Webhooks;

/// <summary>
/// Verifies the control plane's webhooks by the Standard Webhooks scheme, with no dependency on a web host: give it the three
/// headers and the body exactly as received.
/// </summary>
/// <remarks>
/// The signature itself (HMAC-SHA256 of <c>id.timestamp.body</c>, base64, <c>v1,</c>) is computed by the <c>StandardWebhooks</c>
/// package's signer, one per secret. Its <c>Verify</c> is not used, because in 1.1.2 it cannot do what rotation and tests need:
/// it holds a single secret, its tolerance is a fixed 5 minutes against the system clock, its outcomes differ only in exception
/// text (no way to tell a stale message from a forged one without matching messages), and it compares the last of several
/// space-separated signatures against the whole header, so a message whose matching signature is not the first is refused.
/// </remarks>
public sealed class TaskeeWebhookVerifier
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string SecretPrefix = "whsec_";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly StandardWebhook[] _signers;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <param name="secrets">One or more <c>whsec_</c> secrets (two during a rotation).</param>
    /// <param name="tolerance">How far the timestamp may be from now; 5 minutes when null.</param>
    public TaskeeWebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _signers = secrets.Select(Signer).ToArray();
        if (_signers.Length == 0)
            throw new ArgumentException("Give at least one signing secret (whsec_...): the endpoint's current one, and during a rotation the previous one too.", nameof(secrets));
        _tolerance = tolerance ?? TimeSpan.FromMinutes(5);
        if (_tolerance <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(tolerance), "The tolerance must be positive; Standard Webhooks recommends 5 minutes.");
        _time = time ?? TimeProvider.System;
    }

    public TaskeeWebhookVerifier(TaskeeWebhookOptions options) : this(options.Secrets, options.Tolerance, options.TimeProvider)
    {
    }

    /// <summary>Verifies a request received by ASP.NET Core; <paramref name="body"/> is the raw body, unparsed.</summary>
    public TaskeeWebhookVerification Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.InvalidBody, "The body is not valid UTF-8; send the JSON event as UTF-8.");
        }
        return Verify(headers[IdHeader].ToString(), headers[TimestampHeader].ToString(), headers[SignatureHeader].ToString(), text);
    }

    /// <summary>Verifies the three Standard Webhooks headers and the body as received (not re-serialised: one byte off and it fails).</summary>
    public TaskeeWebhookVerification Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.MissingHeaders,
                $"Send the {IdHeader}, {TimestampHeader} and {SignatureHeader} headers of the Standard Webhooks scheme; {Missing(webhookId, webhookTimestamp, webhookSignature)}.");

        // Only the canonical form: the signer signs the number as it formats it, so "0170..." could never match anyway.
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || seconds.ToString(CultureInfo.InvariantCulture) != webhookTimestamp)
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.InvalidTimestamp,
                $"{TimestampHeader} must be the whole seconds since 1970-01-01T00:00:00Z, e.g. 1700000000.");

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = _time.GetUtcNow();
        if (sent < now - _tolerance)
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.Stale,
                $"{TimestampHeader} is {(now - sent).TotalSeconds:0} s old, more than the tolerance of {_tolerance.TotalSeconds:0} s: a replayed or very late message.");
        if (sent > now + _tolerance)
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.FromTheFuture,
                $"{TimestampHeader} is {(sent - now).TotalSeconds:0} s ahead, more than the tolerance of {_tolerance.TotalSeconds:0} s: check the clocks.");

        if (!Signed(webhookId, sent, webhookSignature, body))
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.NoMatchingSignature,
                $"No v1 signature in {SignatureHeader} matches this receiver's secrets: the secret differs (rotated?) or the id, timestamp or body changed on the way.");

        return Parse(webhookId, body);
    }

    private bool Signed(string webhookId, DateTimeOffset sent, string signatures, string body)
    {
        byte[][] expected;
        try
        {
            expected = _signers.Select(s => Encoding.UTF8.GetBytes(s.Sign(webhookId, sent, body))).ToArray();
        }
        catch (ArgumentException) // a string with a lone surrogate cannot be UTF-8, so nobody signed it
        {
            return false;
        }
        // Space-separated "v1,<base64>" entries; others (other versions, malformed ones) simply never match.
        var matched = false;
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.UTF8.GetBytes(candidate);
            foreach (var mine in expected) matched |= CryptographicOperations.FixedTimeEquals(bytes, mine);
        }
        return matched;
    }

    private static TaskeeWebhookVerification Parse(string webhookId, string body)
    {
        const string shape = "The body must be a JSON object {\"type\": string, \"id\": string, \"timestamp\": ISO 8601 string, \"data\": ...}";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } typeText
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } idText
                && root.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(timestamp.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                && root.TryGetProperty("data", out var data))
                return new TaskeeWebhookVerification(new TaskeeWebhookEvent(webhookId, typeText, idText, at, data.Clone()), TaskeeWebhookFailure.None, "verified");
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.InvalidBody, shape + ".");
        }
        catch (JsonException)
        {
            return TaskeeWebhookVerification.Refused(TaskeeWebhookFailure.InvalidBody, shape + "; this one is not JSON.");
        }
    }

    private static string Missing(string? id, string? timestamp, string? signature) =>
        "missing: " + string.Join(", ", new[] { (IdHeader, id), (TimestampHeader, timestamp), (SignatureHeader, signature) }
            .Where(h => string.IsNullOrEmpty(h.Item2)).Select(h => h.Item1));

    private static StandardWebhook Signer(string secret)
    {
        const string expected = "A signing secret is whsec_ followed by base64, exactly as the control plane showed it when the webhook was created or its secret rotated.";
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) throw new ArgumentException(expected, nameof(secret));
        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw new ArgumentException(expected + " The part after whsec_ is not base64.", nameof(secret));
        }
        if (key.Length == 0) throw new ArgumentException(expected + " The key after whsec_ is empty.", nameof(secret));
        return new StandardWebhook(key);
    }
}
