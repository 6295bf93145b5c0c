using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains.Storage;

namespace Taskee.Api.Privacy;

/// <summary>Builds and signs an erasure's receipt with Taskee's token signing key, so anyone holding the JWKS can check it.</summary>
public sealed class PrivacyReceipts(SigningKeys keys)
{
    public const string TokenType = "taskee-erasure-receipt+jwt";

    /// <summary>Where the person may still be held outside Taskee's database, and what an operator must do.</summary>
    public const string StripeNote =
        "Taskee sends Stripe no member data. Stripe holds the organisation's billing contact; if that is this person, an operator changes the customer's e-mail and name in the Stripe Dashboard.";

    public const string CrmNote =
        "Taskee sends organisation members to no CRM. A sales lead's contact is platform data (Taskee as controller), erased on the person's request to Taskee, not by an organisation's request.";

    public async Task<string> SignAsync(PrivacyRequest request, CancellationToken ct)
    {
        var receipt = Unsigned(request);
        var credentials = await keys.SigningCredentialsAsync(ct);
        var jws = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            JsonSerializer.Serialize(receipt, JsonSerializerOptions.Web), credentials, new Dictionary<string, object> { ["typ"] = TokenType });
        return JsonSerializer.Serialize(receipt with { Jws = jws }, JsonSerializerOptions.Web);
    }

    public static ErasureReceipt? Read(string? stored) =>
        stored is null ? null : JsonSerializer.Deserialize<ErasureReceipt>(stored, JsonSerializerOptions.Web);

    private static ErasureReceipt Unsigned(PrivacyRequest r) => new(
        r.Id, r.OrgId, r.UpdatedAt, JsonSerializer.Deserialize<ErasureCounts>(r.Erased!, JsonSerializerOptions.Web)!,
        new ChainHeadAfter(r.ErasedSeq!.Value, r.ErasedHash!), StripeNote, CrmNote, null);
}
