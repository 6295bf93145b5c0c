using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Taskee.Api.Identity.SignIn;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Issuer;

public sealed class SignInTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    private async Task<JsonNode> SeatsAsync(string orgId) =>
        (await fixture.Admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["seats"]!;

    private async Task<List<JsonNode>> MembersAsync(string orgId) =>
        (await fixture.Admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray().Select(m => m!).ToList();

    [Fact]
    public async Task A_new_person_is_provisioned_just_in_time_taking_a_seat_and_the_sign_in_is_audited()
    {
        var orgId = await fixture.OrganisationAsync();
        var seatsBefore = (await SeatsAsync(orgId))["used"]!.GetValue<long>();

        var session = await fixture.SignedInAsync(orgId, "New.Person@Example.com");

        Assert.Equal("new.person@example.com", session.MemberId);
        Assert.Equal(["member"], session.Roles);
        Assert.Equal(seatsBefore + 1, (await SeatsAsync(orgId))["used"]!.GetValue<long>());
        var member = Assert.Single(await MembersAsync(orgId), m => m["userId"]!.GetValue<string>() == session.MemberId);
        Assert.Equal("New.Person@Example.com", member["email"]!.GetValue<string>());
        var actions = (await fixture.Admin.AuditEventsAsync(orgId)).Select(e => e["action"]!.GetValue<string>()).ToList();
        Assert.Contains("member.added", actions);
        Assert.Equal("auth.signed_in", actions[^1]);

        // The same person again, in another case: found by e-mail, no second seat.
        var again = await fixture.SignedInAsync(orgId, "NEW.PERSON@example.COM");
        Assert.Equal(session.MemberId, again.MemberId);
        Assert.Equal(seatsBefore + 1, (await SeatsAsync(orgId))["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task With_the_seats_full_a_new_person_is_refused_and_nothing_is_provisioned()
    {
        var orgId = await fixture.OrganisationAsync();
        await fixture.SignedInAsync(orgId, "first@example.com");
        await fixture.Admin.SetLimitAsync(orgId, "seats", 1);

        var refused = Assert.IsType<SignInOutcome.Refused>(await fixture.SignInAsync(orgId, "second@example.com"));

        Assert.Equal(403, refused.Status);
        Assert.Contains("seats", refused.Detail);
        Assert.Contains("owner or admin", refused.Detail);
        Assert.DoesNotContain(await MembersAsync(orgId), m => m["email"]!.GetValue<string>() == "second@example.com");
        Assert.Equal(1, (await SeatsAsync(orgId))["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_JIT_provisioning_a_person_who_is_not_a_member_is_refused()
    {
        var orgId = await fixture.OrganisationAsync();
        var refused = Assert.IsType<SignInOutcome.Refused>(await fixture.SignInAsync(orgId, "stranger@example.com", IssuerFixture.Policy(jit: false)));
        Assert.Equal(403, refused.Status);
        Assert.Contains("not a member", refused.Detail);
        Assert.Empty(await MembersAsync(orgId));

        // A member added by an admin signs in without JIT.
        await fixture.Admin.PostAsync($"/v1/organisations/{orgId}/members", TestApi.Json(new { userId = "kim", email = "Kim@Example.com", role = "auditor" }));
        var signedIn = Assert.IsType<SignInOutcome.SignedIn>(await fixture.SignInAsync(orgId, "kim@example.com", IssuerFixture.Policy(jit: false)));
        Assert.Equal("kim", signedIn.MemberId);
        Assert.Equal(["auditor"], signedIn.Roles);
    }

    [Fact]
    public async Task An_organisation_without_sso_or_that_does_not_exist_refuses_the_sign_in()
    {
        var pro = await fixture.OrganisationAsync("pro");
        var noSso = Assert.IsType<SignInOutcome.Refused>(await fixture.SignInAsync(pro, "a@example.com"));
        Assert.Equal(403, noSso.Status);
        Assert.Contains("sso", noSso.Detail);
        Assert.Empty(await MembersAsync(pro));

        var missing = Assert.IsType<SignInOutcome.Refused>(await fixture.SignInAsync("no-such-org-" + Guid.NewGuid().ToString("N")[..6], "a@example.com"));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Groups_map_to_roles_and_the_strongest_mapped_role_is_stored()
    {
        var orgId = await fixture.OrganisationAsync();
        var policy = IssuerFixture.Policy(groupRoles: new Dictionary<string, string>
        {
            ["Finance"] = "billing", ["IT-Admins"] = "admin", ["Ghosts"] = "no-such-role", ["Platform"] = "platform-admin",
        });

        var session = await fixture.SignedInAsync(orgId, "lea@example.com", policy, "finance", "it-admins", "ghosts", "platform");

        Assert.Equal(["admin"], session.Roles);
        var token = new JsonWebToken(session.Tokens.AccessToken);
        Assert.Equal(["admin"], token.GetPayloadValue<List<string>>("roles"));
        Assert.Equal("admin", Assert.Single(await MembersAsync(orgId))["role"]!.GetValue<string>());

        // No group maps: the stored role stays.
        var later = await fixture.SignedInAsync(orgId, "lea@example.com", policy, "unmapped");
        Assert.Equal(["admin"], later.Roles);
        // Only unknown and platform roles map: they are ignored, a JIT member gets the default role.
        var other = await fixture.SignedInAsync(orgId, "max@example.com", policy, "ghosts", "platform");
        Assert.Equal(["member"], other.Roles);
    }

    [Fact]
    public async Task A_member_an_admin_added_gets_the_role_their_groups_map_to_through_the_grain_audited()
    {
        var orgId = await fixture.OrganisationAsync();
        var added = await fixture.Admin.PostAsync($"/v1/organisations/{orgId}/members",
            TestApi.Json("""{"userId":"sanne","email":"sanne@example.com","role":"member"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var session = await fixture.SignedInAsync(orgId, "Sanne@Example.com",
            IssuerFixture.Policy(groupRoles: new Dictionary<string, string> { ["Auditors"] = "auditor" }), "Auditors");

        Assert.Equal("sanne", session.MemberId);
        Assert.Equal(["auditor"], session.Roles);
        Assert.Equal("auditor", Assert.Single(await MembersAsync(orgId))["role"]!.GetValue<string>());
        var changed = Assert.Single(await fixture.Admin.AuditEventsAsync(orgId), e => e["action"]!.GetValue<string>() == "member.role_changed");
        Assert.Equal("user", changed["actor"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_browser_is_sent_to_a_local_returnTo_with_the_session_cookies_and_never_to_another_site()
    {
        var orgId = await fixture.OrganisationAsync();
        var outcome = await fixture.SignInAsync(orgId, "ned@example.com");

        var (status, headers, _) = await CompleteAsync(outcome, "//evil.example/steal", accept: "text/html");
        Assert.Equal(303, status);
        Assert.Equal("/", headers.Location.ToString());
        var cookies = headers.SetCookie.Select(c => c!).ToList();
        var session = Assert.Single(cookies, c => c.StartsWith("taskee_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", session);
        Assert.Contains("max-age=900", session);
        var refresh = Assert.Single(cookies, c => c.StartsWith("taskee_refresh=", StringComparison.Ordinal));
        Assert.Contains("path=/v1/auth", refresh);
        Assert.Contains("httponly", refresh, StringComparison.OrdinalIgnoreCase);
        var csrf = Assert.Single(cookies, c => c.StartsWith("taskee_csrf=", StringComparison.Ordinal));
        Assert.DoesNotContain("httponly", csrf, StringComparison.OrdinalIgnoreCase);

        foreach (var unsafeTarget in new[] { "https://evil.example", "/\\evil.example", null })
            Assert.Equal("/", (await CompleteAsync(outcome, unsafeTarget, "text/html")).Headers.Location.ToString());
        Assert.Equal("/console/members?x=1", (await CompleteAsync(outcome, "/console/members?x=1", "text/html")).Headers.Location.ToString());
    }

    [Fact]
    public async Task A_client_that_accepts_JSON_gets_the_tokens_and_a_refusal_as_a_problem_or_a_page()
    {
        var orgId = await fixture.OrganisationAsync();
        var (status, _, body) = await CompleteAsync(await fixture.SignInAsync(orgId, "ola@example.com"), "/x", "application/json");
        Assert.Equal(200, status);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("Bearer", json["token_type"]!.GetValue<string>());
        Assert.StartsWith("tkr_", json["refresh_token"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["access_token"]!.GetValue<string>()));

        var refused = await fixture.SignInAsync(orgId, "pat@example.com", IssuerFixture.Policy(jit: false));
        var problem = await CompleteAsync(refused, null, "application/json");
        Assert.Equal(403, problem.Status);
        Assert.Contains("not a member", JsonNode.Parse(problem.Body)!["detail"]!.GetValue<string>());
        var page = await CompleteAsync(refused, null, "text/html");
        Assert.Equal(403, page.Status);
        Assert.Contains("<h1>", page.Body);
        Assert.Contains("is not a member", page.Body);
    }

    private async Task<(int Status, IHeaderDictionary Headers, string Body)> CompleteAsync(SignInOutcome outcome, string? returnTo, string accept)
    {
        using var scope = fixture.Node.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Headers.Accept = accept;
        var body = new MemoryStream();
        http.Response.Body = body;
        var result = scope.ServiceProvider.GetRequiredService<ISignInService>().Complete(http, outcome, returnTo);
        await result.ExecuteAsync(http);
        return (http.Response.StatusCode, http.Response.Headers, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
