using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Issuer;

/// <summary>Data Protection's key ring in the database (<see cref="IKeyRingStore"/>): one ring for every silo of the cluster.</summary>
public sealed class KeyRingRepository(IKeyRingStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => store.ListElements().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName) => store.StoreElement(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}

/// <summary>
/// Encrypts each key of the ring with AES-256-GCM under <c>Auth:Issuer:KeyEncryptionKey</c> before it is stored, so a
/// copy of the database alone does not unprotect anything. The element names the key-encryption key by a fingerprint,
/// so a wrong key is reported as such rather than as corrupt data.
/// </summary>
public sealed class KeyRingEncryptor(byte[] kek) : IXmlEncryptor
{
    internal const string ElementName = "taskeeEncryptedKey";
    internal static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("Taskee.DataProtection.KeyRing.v1");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(kek, tag.Length)) aes.Encrypt(nonce, plain, cipher, tag, AssociatedData);
        CryptographicOperations.ZeroMemory(plain);
        var element = new XElement(ElementName,
            new XAttribute("kek", Fingerprint(kek)),
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            new XAttribute("tag", Convert.ToBase64String(tag)),
            Convert.ToBase64String(cipher));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }

    internal static string Fingerprint(byte[] kek) => Convert.ToHexStringLower(SHA256.HashData(kek))[..16];
}

/// <summary>The other half of <see cref="KeyRingEncryptor"/>; Data Protection creates it by type name with the service provider.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var kekText = services.GetRequiredService<IOptions<IssuerOptions>>().Value.KeyEncryptionKey
            ?? throw new CryptographicException("The Data Protection key ring is encrypted, but Auth:Issuer:KeyEncryptionKey is not set.");
        var kek = Convert.FromBase64String(kekText);
        if ((string?)encryptedElement.Attribute("kek") != KeyRingEncryptor.Fingerprint(kek))
            throw new CryptographicException("The Data Protection key ring was encrypted with another Auth:Issuer:KeyEncryptionKey than the one configured.");
        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var cipher = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(kek, tag.Length)) aes.Decrypt(nonce, cipher, tag, plain, KeyRingEncryptor.AssociatedData);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

public static class KeyRingServiceCollectionExtensions
{
    public const string ApplicationName = "Taskee";

    /// <summary>
    /// ASP.NET Data Protection for a cluster: one application name, the key ring in the database, each key encrypted
    /// with the key-encryption key when one is configured. The OIDC sign-in's state and secrets rely on this too.
    /// </summary>
    public static IServiceCollection AddTaskeeDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new KeyRingRepository(sp.GetRequiredService<IKeyRingStore>());
            if (sp.GetRequiredService<IOptions<IssuerOptions>>().Value.KeyEncryptionKey is { } kek)
                o.XmlEncryptor = new KeyRingEncryptor(Convert.FromBase64String(kek));
        }));
        return services;
    }
}
