using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Identity.Oidc;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>How the claims of a validated ID token become the identity handed to the sign-in service.</summary>
public sealed class OidcIdentityTests
{
    private static JsonWebToken Token(object payload) => new(
        $"{Base64UrlEncoder.Encode("""{"alg":"RS256"}""")}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload)))}.c2ln");

    public static TheoryData<string, string[]> GroupClaims => new()
    {
        { """{"sub":"s","email":"a@b.c","groups":["Sales Team","Planners"]}""", ["Sales Team", "Planners"] },
        { """{"sub":"s","email":"a@b.c","groups":"planners nurses"}""", ["planners", "nurses"] },
        { """{"sub":"s","email":"a@b.c","groups":["x","x",""]}""", ["x"] },
        { """{"sub":"s","email":"a@b.c"}""", [] },
        { """{"sub":"s","email":"a@b.c","groups":42}""", [] },
    };

    [Theory]
    [MemberData(nameof(GroupClaims))]
    public void Groups_come_as_an_array_or_a_space_separated_string(string payload, string[] groups)
    {
        var (identity, refusal) = OidcIdentity.Read("o", Token(JsonSerializer.Deserialize<JsonElement>(payload)), "groups");
        Assert.Null(refusal);
        Assert.Equal(groups, identity!.Groups);
    }

    public static TheoryData<string, string?> Emails => new()
    {
        { """{"sub":"s","email":"a@b.c"}""", null },
        { """{"sub":"s","email":"a@b.c","email_verified":true}""", null },
        { """{"sub":"s","email":"a@b.c","email_verified":"true"}""", null },
        { """{"sub":"s","email":"a@b.c","email_verified":false}""", "not verified" },
        { """{"sub":"s","email":"a@b.c","email_verified":"false"}""", "not verified" },
        { """{"sub":"s"}""", "no 'email'" },
        { """{"sub":"s","email":"not-an-address"}""", "no 'email'" },
        { """{"email":"a@b.c"}""", "no 'sub'" },
    };

    [Theory]
    [MemberData(nameof(Emails))]
    public void An_email_is_required_and_must_not_be_unverified(string payload, string? refused)
    {
        var (identity, refusal) = OidcIdentity.Read("o", Token(JsonSerializer.Deserialize<JsonElement>(payload)), "groups");
        if (refused is null)
        {
            Assert.Equal(("o", "oidc", "s", "a@b.c"), (identity!.OrgId, identity.Method, identity.Subject, identity.Email));
        }
        else
        {
            Assert.Null(identity);
            Assert.Contains(refused, refusal);
        }
    }
}
