using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Taskee.Api.Privacy;
using Taskee.Grains.Audit;

namespace Taskee.Silo.Storage;

/// <summary>
/// Wraps each person's audit key before it is stored, so a copy of the database alone opens no personal value: under
/// <c>Privacy:KeyEncryptionKey</c> when it is set (AES-256-GCM, the key id bound in), else with Data Protection. The
/// wrapped text names its method, and the key-encryption key by a fingerprint, so a wrong key is reported as such.
/// </summary>
public sealed class SubjectKeyProtector(IOptions<PrivacyOptions> options, IServiceProvider services)
{
    public const string ProtectorPurpose = "Taskee.Privacy.SubjectKeys.v1";
    private const string KekPrefix = "kek1.";
    private const string DataProtectionPrefix = "dp1.";

    // Resolved on first use: Data Protection's key ring lives in the storage this class is composed into.
    private readonly Lazy<IDataProtector> _dataProtection = new(() =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectorPurpose));

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    public string Wrap(string keyId, byte[] key)
    {
        var encoded = Convert.ToBase64String(key);
        return options.Value.KeyEncryptionKeyBytes is { } kek
            ? KekPrefix + Fingerprint(kek) + "." + SealedValue.Seal(kek, keyId, encoded)
            : DataProtectionPrefix + _dataProtection.Value.Protect(encoded);
    }

    public byte[] Unwrap(string keyId, string wrapped)
    {
        if (wrapped.StartsWith(DataProtectionPrefix, StringComparison.Ordinal))
            return Convert.FromBase64String(_dataProtection.Value.Unprotect(wrapped[DataProtectionPrefix.Length..]));
        if (!wrapped.StartsWith(KekPrefix, StringComparison.Ordinal))
            throw new CryptographicException($"Audit key {keyId} is stored in an unknown form.");
        var kek = options.Value.KeyEncryptionKeyBytes
            ?? throw new CryptographicException("Audit keys are wrapped with a key-encryption key, but Privacy:KeyEncryptionKey is not set.");
        var rest = wrapped[KekPrefix.Length..];
        var dot = rest.IndexOf('.');
        if (dot < 0 || rest[..dot] != Fingerprint(kek))
            throw new CryptographicException("Audit keys were wrapped with another Privacy:KeyEncryptionKey than the one configured.");
        var token = rest[(dot + 1)..];
        if (!SealedValue.TryParse(token, out var wrappedFor) || wrappedFor != keyId || !SealedValue.TryOpen(token, kek, out var encoded, out _))
            throw new CryptographicException($"Audit key {keyId} does not open with the configured Privacy:KeyEncryptionKey.");
        return Convert.FromBase64String(encoded);
    }

    private static string Fingerprint(byte[] kek) => Convert.ToHexStringLower(SHA256.HashData(kek))[..16];
}
