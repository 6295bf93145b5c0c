using System.Net;
using Taskee.Api.Auth;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity;

/// <summary>Every built-in role against every organisation endpoint: allowed exactly when the role grants the endpoint's permission.</summary>
public sealed class RoleMatrixTests(JwtFixture fixture) : IClassFixture<JwtFixture>
{
    /// <summary>The endpoints and the permission each requires (the contract the role table is checked against).</summary>
    private static readonly (string Method, string Path, string? Body, string Permission)[] Endpoints =
    [
        ("GET", "/v1/organisations/{org}", null, Permissions.OrgRead),
        ("PATCH", "/v1/organisations/{org}", """{"name":"Renamed"}""", Permissions.OrgWrite),
        ("PUT", "/v1/organisations/{org}/limits/seats", """{"limit":5}""", Permissions.LimitsWrite),
        ("DELETE", "/v1/organisations/{org}/limits/seats", null, Permissions.LimitsWrite),
        ("PUT", "/v1/organisations/{org}/features/sso", """{"enabled":true}""", Permissions.FeaturesWrite),
        ("GET", "/v1/organisations/{org}/entitlements", null, Permissions.EntitlementsRead),
        ("GET", "/v1/organisations/{org}/features/sso", null, Permissions.EntitlementsRead),
        ("GET", "/v1/organisations/{org}/audit", null, Permissions.AuditRead),
        ("GET", "/v1/organisations/{org}/audit/export", null, Permissions.AuditExport),
        ("POST", "/v1/organisations/{org}/api-keys", """{"name":"k","scopes":["usage"]}""", Permissions.KeysWrite),
        ("GET", "/v1/organisations/{org}/api-keys", null, Permissions.KeysRead),
        ("DELETE", "/v1/organisations/{org}/api-keys/nokey", null, Permissions.KeysWrite),
        ("POST", "/v1/organisations/{org}/api-keys/nokey/rotate", null, Permissions.KeysWrite),
        ("POST", "/v1/organisations/{org}/usage/ai_calls/check", """{"amount":1}""", Permissions.UsageRead),
        ("POST", "/v1/organisations/{org}/usage/ai_calls/consume", """{"amount":1}""", Permissions.UsageWrite),
        ("POST", "/v1/organisations/{org}/usage/storage_bytes/release", """{"amount":1}""", Permissions.UsageWrite),
        ("GET", "/v1/organisations/{org}/members", null, Permissions.MembersRead),
        ("POST", "/v1/organisations/{org}/members", """{"userId":"u1","email":"u1@example.com","role":"member"}""", Permissions.MembersWrite),
        ("DELETE", "/v1/organisations/{org}/members/nobody", null, Permissions.MembersWrite),
        ("PATCH", "/v1/organisations/{org}/members/nobody", """{"role":"admin"}""", Permissions.MembersWrite),
        ("GET", "/v1/organisations/{org}/roles", null, Permissions.RolesRead),
        ("PUT", "/v1/organisations/{org}/roles/reader", """{"permissions":["org:read"]}""", Permissions.RolesWrite),
        ("DELETE", "/v1/organisations/{org}/roles/reader", null, Permissions.RolesWrite),
        ("GET", "/v1/organisations/{org}/sso", null, Permissions.SsoRead),
        ("PUT", "/v1/organisations/{org}/sso", """{"issuer":"http://127.0.0.1:9/idp","audience":"a"}""", Permissions.SsoWrite),
        ("GET", "/v1/organisations/{org}/sso/saml", null, Permissions.SsoRead),
        ("PUT", "/v1/organisations/{org}/sso/saml", """{"idpEntityId":"https://idp.example/x"}""", Permissions.SsoWrite),
        ("DELETE", "/v1/organisations/{org}/sso/saml", null, Permissions.SsoWrite),
        ("GET", "/v1/organisations/{org}/scim/group-roles", null, Permissions.SsoRead),
        ("PUT", "/v1/organisations/{org}/scim/group-roles", """{"Admins":"admin"}""", Permissions.SsoWrite),
        ("GET", "/v1/organisations/{org}/billing", null, Permissions.BillingRead),
        ("PUT", "/v1/organisations/{org}/billing", """{"stripeCustomerId":"cus_matrix"}""", Permissions.BillingWrite),
        ("POST", "/v1/organisations/{org}/billing/invoices", """{"lines":[{"description":"x","amount":100,"currency":"eur"}],"daysUntilDue":30}""", Permissions.InvoicesWrite),
        ("GET", "/v1/organisations/{org}/sla", null, Permissions.OrgRead),
        ("GET", "/v1/ops/overview", null, Permissions.OpsRead),
        ("GET", "/v1/ops/webhooks", null, Permissions.OpsRead),
        ("GET", "/v1/plans", null, Permissions.PlansRead),
        ("GET", "/v1/organisations", null, Permissions.OrgsList),
        ("POST", "/v1/organisations", """{"id":"never-created","name":"x","plan":"pro"}""", Permissions.OrgsCreate),
        ("PUT", "/v1/flags/some-flag", """{"enabled":true,"rolloutPercent":1}""", Permissions.FlagsWrite),
        ("GET", "/v1/flags", null, Permissions.FlagsRead),
        ("GET", "/v1/audit", null, Permissions.PlatformAuditRead),
        ("GET", "/v1/cluster/nodes", null, Permissions.OpsRead),
        ("GET", "/v1/ops/quota", null, Permissions.OpsRead),
        ("GET", "/v1/auth/status", null, Permissions.AuthStatusRead),
        ("GET", "/v1/leads", null, Permissions.LeadsRead),
        ("GET", "/v1/leads/lead_none", null, Permissions.LeadsRead),
        ("PATCH", "/v1/leads/lead_none", """{"status":"lost"}""", Permissions.LeadsWrite),
        ("POST", "/v1/quotes", """{"leadId":"lead_none","plan":"enterprise","seats":1}""", Permissions.LeadsWrite),
        ("GET", "/v1/quotes/quote_none", null, Permissions.LeadsRead),
        ("PUT", "/v1/price-book", """{"currency":"EUR"}""", Permissions.PlansWrite),
        ("PATCH", "/v1/quotes/quote_none", """{"status":"won"}""", Permissions.LeadsWrite),
        ("GET", "/v1/organisations/{org}/onboarding", null, Permissions.OnboardingRead),
        ("PUT", "/v1/organisations/{org}/onboarding/steps/dpa_signed", """{"done":true}""", Permissions.OnboardingWrite),
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var role in Roles.BuiltIn)
            for (var i = 0; i < Endpoints.Length; i++) data.Add(role, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_role_is_allowed_exactly_what_it_grants(string role, int endpoint)
    {
        var (method, path, body, permission) = Endpoints[endpoint];
        var admin = fixture.Node.Admin();
        var org = TestApi.NewOrgId("m");
        await admin.CreateOrganisationAsync(org, "enterprise");
        var client = fixture.Node.Client(fixture.Platform.Token(org, [role]));

        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{org}", org));
        if (body is not null) request.Content = TestApi.Json(body);
        var response = await client.SendAsync(request);

        var expected = Roles.Grants[role].Contains(permission) && !Permissions.IsPlatform(permission);
        if (expected)
            Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized),
                $"{role} should be allowed {method} {path} ({permission}) but got {(int)response.StatusCode}");
        else
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
