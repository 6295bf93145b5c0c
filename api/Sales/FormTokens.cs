using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Sales;

public enum FormTokenCheck
{
    Valid,
    Invalid,
    Expired,
    TooSoon,
}

/// <summary>
/// Form tokens of the intake: the time the form was opened, protected by Data Protection (its key ring is shared by every
/// silo), so the time-to-submit check trusts the server's clock and not the browser's, and a token from one silo is
/// accepted by another.
/// </summary>
public sealed class FormTokens(IDataProtectionProvider protection, IOptions<LeadOptions> options, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Taskee.Leads.FormToken.v1");

    public string Issue() => _protector.Protect(clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether the token is ours, still valid, and old enough that a person could have filled in the form.</summary>
    public FormTokenCheck Check(string token)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return FormTokenCheck.Invalid; // not issued here, altered, or protected with a key that is gone
        }
        if (!long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs)) return FormTokenCheck.Invalid;
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(issuedMs);
        if (age > options.Value.FormLifetime) return FormTokenCheck.Expired;
        return age < options.Value.MinimumFillTime ? FormTokenCheck.TooSoon : FormTokenCheck.Valid;
    }
}
