using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Taskee.Api.Identity.Saml;

/// <summary>What an admin sees of a configured IdP certificate, to tell the current one from the next during a rotation.</summary>
public sealed record SamlCertificateInfo(string Thumbprint, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>The IdP's signing certificates, as pasted by the admin (PEM), and the only keys a response may be signed with.</summary>
public static class SamlCertificates
{
    public const int MinRsaBits = 2048;

    /// <summary>Null with the reason when the PEM is not one RSA certificate of at least <see cref="MinRsaBits"/> bits.</summary>
    public static X509Certificate2? TryParse(string? pem, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(pem) || !pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            error = "must be a PEM certificate starting with -----BEGIN CERTIFICATE----- (the IdP's signing certificate, Base64).";
            return null;
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            error = "is not a certificate that can be read: paste the whole PEM, BEGIN and END lines included.";
            return null;
        }
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            error = "must hold an RSA key: IdPs sign SAML with RSA.";
            certificate.Dispose();
            return null;
        }
        if (rsa.KeySize < MinRsaBits)
        {
            error = $"has a {rsa.KeySize}-bit RSA key; at least {MinRsaBits} bits are required.";
            certificate.Dispose();
            return null;
        }
        return certificate;
    }

    /// <summary>A stored certificate (parsed when it was saved) as the admin sees it.</summary>
    public static SamlCertificateInfo Describe(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return new(certificate.GetCertHashString(HashAlgorithmName.SHA256), certificate.Subject,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    /// <summary>The public keys of the configured certificates (stored ones parsed when they were saved).</summary>
    public static IReadOnlyList<RSA> Keys(IEnumerable<string> pems) =>
        pems.Select(p => { using var c = X509Certificate2.CreateFromPem(p); return c.GetRSAPublicKey()!; }).ToList();
}
