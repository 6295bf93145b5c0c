using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains.Audit;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Scim;
using Taskee.Tests.Webhooks;

namespace Taskee.Tests.Privacy;

/// <summary>
/// A member who was provisioned by SCIM, signed in and acted, sits in a group, appears in
/// exports and webhooks, is erased by an admin's request; afterwards nothing the API, an export or a webhook replay
/// sends reveals their e-mail, name or id, and exports from before and after both verify.
/// </summary>
public sealed class ErasureRequestTests(PrivacyNodeFixture fixture) : IClassFixture<PrivacyNodeFixture>
{
    private readonly HttpClient _admin = fixture.Admin;

    [Fact]
    public async Task An_erased_member_is_gone_from_every_read_export_and_webhook_replay_and_both_exports_verify()
    {
        var scim = await ScimClient.CreateAsync(fixture.Node);
        var orgId = scim.OrgId;
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await _admin.CreateWebhookAsync(orgId, new { url = receiver.Url, events = new[] { "*" } });
        receiver.Trust(webhook["secret"]!.GetValue<string>());
        var webhookPath = $"{WebhookApi.Webhooks(orgId)}/{webhook.Id()}";
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);

        var suffix = Guid.NewGuid().ToString("N")[..10];
        var email = $"erika.{suffix}@zorgnoord.example";
        var familyName = $"Zwanenburg{suffix}";
        var user = await scim.ExpectAsync(await scim.SendAsync("POST", "/Users", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = email,
            ["externalId"] = $"ext-{suffix}",
            ["name"] = new JsonObject { ["givenName"] = "Erika", ["familyName"] = familyName },
            ["displayName"] = $"Erika {familyName}",
            ["emails"] = new JsonArray(new JsonObject { ["value"] = email, ["type"] = "work", ["primary"] = true }),
            ["active"] = true,
        }.ToJsonString()), HttpStatusCode.Created);
        var memberId = user["id"]!.GetValue<string>();
        await scim.CreateGroupAsync($"Ward {suffix}", memberId);
        var session = await fixture.SignedInAsync(orgId, email); // she acts: auth.signed_in with her as actor
        Assert.Equal(memberId, session.MemberId);
        var before = await ExportAsync(orgId);
        Assert.Contains(before, l => l.Contains(email) && l.Contains(familyName));
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Any(r => r.Body.Contains(email)), "a webhook carrying her e-mail");
        var seatsBefore = await SeatsUsedAsync(orgId);

        var request = await _admin.FileAndCompleteAsync(orgId, "erasure", new { email = email.ToUpperInvariant() });

        // The receipt: what, when, the chain head after, signed by a key of the JWKS.
        var receipt = request["receipt"]!;
        Assert.Equal(1, receipt["erased"]!["scimUsers"]!.GetValue<int>());
        Assert.Equal(1, receipt["erased"]!["scimGroupMemberships"]!.GetValue<int>());
        Assert.True(receipt["erased"]!["sessions"]!.GetValue<int>() >= 1);
        Assert.True(receipt["erased"]!["auditKeysDestroyed"]!.GetValue<int>() >= 1);
        Assert.Contains("Stripe", receipt["stripe"]!.GetValue<string>());
        Assert.Contains("CRM", receipt["crm"]!.GetValue<string>());
        var after = await ExportAsync(orgId);
        var erasureLine = after.Single(l => l.Contains("\"privacy.erasure.completed\""));
        var erasureEvent = AuditHash.Parse(erasureLine);
        Assert.Equal(erasureEvent.Seq, receipt["chainHead"]!["seq"]!.GetValue<long>());
        Assert.Equal(erasureEvent.Hash, receipt["chainHead"]!["hash"]!.GetValue<string>());
        await AssertSignedAsync(receipt["jws"]!.GetValue<string>(), request["id"]!.GetValue<string>());

        // Gone: member, seat, sessions, SCIM user and group membership.
        Assert.DoesNotContain((await _admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray(), m => m!["userId"]!.GetValue<string>() == memberId);
        Assert.Equal(seatsBefore - 1, await SeatsUsedAsync(orgId));
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.RefreshAsync(session.Tokens.RefreshToken)).StatusCode);
        await ScimClient.AssertErrorAsync(await scim.SendAsync("GET", $"/Users/{memberId}"), HttpStatusCode.NotFound);

        // Nothing reveals her: the API, the exports, the request itself.
        var reads = new[]
        {
            await _admin.GetStringAsync($"/v1/organisations/{orgId}/audit?limit=1000"),
            await _admin.GetStringAsync($"/v1/organisations/{orgId}/audit/export?format=csv"),
            string.Join("\n", after),
            await _admin.GetStringAsync($"{PrivacyRequests.Path(orgId)}/{request["id"]!.GetValue<string>()}"),
            await _admin.GetStringAsync($"/v1/organisations/{orgId}/members"),
            await scim.Http.GetStringAsync("/scim/v2/Groups"),
        };
        foreach (var read in reads) AssertForgotten(read, email, familyName, memberId);
        Assert.Contains(SealedValue.Erased, string.Join("\n", after));

        // Exports from before and after both verify.
        Assert.True(AuditChainVerifier.Verify(before).IsIntact);
        Assert.True(AuditChainVerifier.Verify(after).IsIntact, AuditChainVerifier.Verify(after).Problem);

        // A replay of everything since the start sends her events again, erased.
        var sent = receiver.Accepted.Count;
        Assert.Equal(HttpStatusCode.Accepted, (await _admin.PostAsync($"{webhookPath}/replay", TestApi.Json(new { from = start }))).StatusCode);
        await TestWebhooks.EventuallyAsync(() => receiver.Accepted.Count >= sent + before.Length, "the replayed events");
        foreach (var replayed in receiver.Accepted.Skip(sent)) AssertForgotten(replayed.Body, email, familyName, memberId);
    }

    private static void AssertForgotten(string text, string email, string familyName, string memberId)
    {
        Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(familyName, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(memberId, text, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string[]> ExportAsync(string orgId) =>
        (await _admin.GetStringAsync($"/v1/organisations/{orgId}/audit/export")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task<long> SeatsUsedAsync(string orgId) =>
        (await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["seats"]!["used"]!.GetValue<long>();

    private async Task AssertSignedAsync(string jws, string requestId)
    {
        var keys = fixture.Node.Services.GetRequiredService<SigningKeys>().Published().ToList();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jws, new TokenValidationParameters
        {
            IssuerSigningKeys = keys, ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false, RequireExpirationTime = false,
            ValidTypes = ["taskee-erasure-receipt+jwt"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(requestId, ((JsonWebToken)result.SecurityToken).GetClaim("requestId").Value);
    }
}
