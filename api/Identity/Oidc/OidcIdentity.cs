using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Identity.SignIn;

namespace Taskee.Api.Identity.Oidc;

/// <summary>Who a validated ID token says signed in: <c>sub</c>, a verified <c>email</c>, the name, the groups.</summary>
public static class OidcIdentity
{
    /// <returns>The identity, or the reason (for the person and the log) why the token does not make one.</returns>
    public static (ExternalIdentity? Identity, string? Refusal) Read(string orgId, JsonWebToken token, string groupsClaim)
    {
        // The payload as sent, not IdentityModel's claim view of it, which cannot tell ["a b"] from "a b".
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var claims = payload.RootElement;
        if (Text(claims, "sub") is not { Length: > 0 } subject) return (null, "The ID token has no 'sub' claim.");
        if (Text(claims, "email")?.Trim() is not { Length: > 2 } email || !email.Contains('@'))
            return (null, "The ID token has no 'email' claim: grant the 'email' scope, or have the identity provider put the e-mail address in the ID token.");
        // Providers that say nothing about verification (Entra ID) are taken at their word; one that says false is not.
        if (claims.TryGetProperty("email_verified", out var verified) && verified.ValueKind != JsonValueKind.Null && !IsTrue(verified))
            return (null, $"The identity provider has not verified the e-mail address '{email}'.");

        var name = Text(claims, "name") is { Length: > 0 } n ? n : null;
        return (new ExternalIdentity(orgId, "oidc", subject, email, name, Groups(claims, groupsClaim)), null);
    }

    /// <summary>Groups as an array of strings (each one a group, spaces and all) or as one space-separated string.</summary>
    public static IReadOnlyList<string> Groups(JsonElement claims, string claim) =>
        !claims.TryGetProperty(claim, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray()
            .Select(g => g.ValueKind == JsonValueKind.String ? g.GetString()! : g.GetRawText())
            .Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).ToList()
        : value.ValueKind == JsonValueKind.String ? value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList()
        : [];

    private static string? Text(JsonElement claims, string claim) =>
        claims.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>true</c>, or the string <c>"true"</c> that some providers (older Okta, Cognito) send.</summary>
    private static bool IsTrue(JsonElement value) =>
        value.ValueKind == JsonValueKind.True
        || (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase));
}
