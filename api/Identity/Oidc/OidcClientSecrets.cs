using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Taskee.Api.Identity.Oidc;

/// <summary>
/// An organisation's OIDC client secret at rest: protected with ASP.NET Data Protection (whose keys every silo shares),
/// bound to the organisation, so a protected value copied to another organisation's row does not open there.
/// </summary>
public sealed class OidcClientSecrets(IDataProtectionProvider protection)
{
    private const string Purpose = "Taskee.Sso.OidcClientSecret.v1";

    public string Protect(string orgId, string secret) => protection.CreateProtector(Purpose, orgId).Protect(secret);

    /// <returns>The secret, or null when it cannot be opened (the Data Protection keys it was protected with are gone).</returns>
    public string? TryUnprotect(string orgId, string protectedSecret)
    {
        try
        {
            return protection.CreateProtector(Purpose, orgId).Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
