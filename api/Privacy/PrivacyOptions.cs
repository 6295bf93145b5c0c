using Microsoft.Extensions.Options;

namespace Taskee.Api.Privacy;

/// <summary>Configuration section <c>Privacy</c>: how per-person audit keys are protected.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key that wraps every person's audit key in the database. Unset, the
    /// keys are wrapped with ASP.NET Data Protection (whose key ring is itself encrypted under
    /// <c>Auth:Issuer:KeyEncryptionKey</c> when that is set). Same value on every silo; keep it in a secret store.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    public byte[]? KeyEncryptionKeyBytes => KeyEncryptionKey is { } text && TryDecode(text, out var bytes) ? bytes : null;

    internal static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[64];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return false;
        bytes = bytes[..written];
        return true;
    }
}

public sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions o)
    {
        var failures = new List<string>();
        if (o.KeyEncryptionKey is { } kek && (!PrivacyOptions.TryDecode(kek, out var bytes) || bytes.Length != 32))
            failures.Add("Privacy:KeyEncryptionKey must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`); leave it unset to protect the keys with Data Protection.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
