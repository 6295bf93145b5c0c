using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>The OIDC part of <c>PUT/GET /v1/organisations/{orgId}/sso</c>: validation, the write-only secret, isolation.</summary>
public sealed class OidcSettingsTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string> OrganisationAsync()
    {
        var id = TestApi.NewOrgId("oidcs");
        await _admin.CreateOrganisationAsync(id, "enterprise");
        return id;
    }

    private Task<HttpResponseMessage> PutAsync(HttpClient client, string orgId, object body) =>
        client.PutAsync($"/v1/organisations/{orgId}/sso", TestApi.Json(body));

    private object Settings(string orgId, string? secret = "s3cr3t-value") => new
    {
        issuer = fixture.Provider.TenantIssuer(orgId), audience = TestIdentityProvider.Audience, clientId = $"client-{orgId}", clientSecret = secret,
    };

    /// <summary>Signs in through the whole flow; true when the provider took the client secret and the node answered 303.</summary>
    private async Task<bool> SignsInAsync(string orgId)
    {
        fixture.Provider.Users[orgId] = new TestUser($"sub-{orgId}", $"bo@{orgId}.example", true);
        var browser = fixture.Browser();
        var login = await browser.GetAsync($"/oidc/{orgId}/login");
        if (login.StatusCode != HttpStatusCode.Redirect) return false;
        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var callback = (await provider.GetAsync(login.Headers.Location)).Headers.Location!;
        return (await browser.GetAsync(callback.PathAndQuery)).StatusCode == HttpStatusCode.SeeOther;
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { """{"issuer":"{issuer}","audience":"a","clientSecret":"x"}""", "clientSecret" },
        { """{"issuer":"{issuer}","audience":"a","clientId":""}""", "clientId" },
        { """{"issuer":"{issuer}","audience":"a","clientId":"c","scopes":"email profile"}""", "scopes" },
        { """{"issuer":"{issuer}","audience":"a","clientId":"c","groupRoles":{"Admins":"platform-admin"}}""", "groupRoles" },
        { """{"issuer":"{issuer}","audience":"a","clientId":"c","groupRoles":{"Admins":"no-such-role"}}""", "groupRoles" },
        { """{"issuer":"{issuer}","audience":"a","clientId":"c","defaultRole":"platform-support"}""", "defaultRole" },
        { """{"issuer":"{issuer}","audience":"a","clientId":"c","groupsClaim":""}""", "groupsClaim" },
        { """{"issuer":"{issuer}","audience":"a","clientId":"c","jitProvisioning":"yes"}""", "" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Bad_oidc_settings_are_a_400_that_names_the_field_and_nothing_is_stored(string body, string field)
    {
        var id = await OrganisationAsync();
        var response = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(body.Replace("{issuer}", fixture.Provider.TenantIssuer(id))));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        if (field.Length > 0) Assert.NotNull(problem["errors"]![field]);
        Assert.DoesNotContain("System.", problem.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/v1/organisations/{id}/sso")).StatusCode);
    }

    [Fact]
    public async Task Settings_default_what_provisioning_needs()
    {
        var id = await OrganisationAsync();
        var sso = await (await PutAsync(_admin, id, Settings(id))).ReadJsonAsync();

        Assert.Equal($"client-{id}", sso["clientId"]!.GetValue<string>());
        Assert.Equal("groups", sso["groupsClaim"]!.GetValue<string>());
        Assert.Equal("member", sso["defaultRole"]!.GetValue<string>());
        Assert.True(sso["jitProvisioning"]!.GetValue<bool>());
        Assert.Equal("openid email profile", sso["scopes"]!.GetValue<string>());
        Assert.Empty(sso["groupRoles"]!.AsObject());
    }

    [Fact]
    public async Task The_client_secret_is_never_returned_nor_audited_nor_stored_in_clear()
    {
        var id = await OrganisationAsync();
        const string secret = "very-secret-client-secret-0123456789";
        var put = await PutAsync(_admin, id, Settings(id, secret));
        var get = await _admin.GetAsync($"/v1/organisations/{id}/sso");

        foreach (var body in new[] { await put.Content.ReadAsStringAsync(), await get.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain("\"clientSecret\"", body);
            Assert.Contains("\"clientSecretSet\":true", body);
        }
        var audit = await _admin.GetStringAsync($"/v1/organisations/{id}/audit");
        Assert.Contains("sso.configured", audit);
        Assert.DoesNotContain(secret, audit);
        var stored = await fixture.Node.Services.GetRequiredService<IIdentityStore>().GetSsoAsync(id);
        Assert.NotNull(stored!.Oidc!.ProtectedClientSecret);
        Assert.DoesNotContain(secret, stored.Oidc.ProtectedClientSecret);
    }

    [Fact]
    public async Task Oidc_settings_read_with_get_can_be_put_back_and_the_kept_secret_still_signs_in()
    {
        var id = await OrganisationAsync();
        fixture.Provider.RegisterClient($"client-{id}", "kept-secret");
        // Without JIT provisioning only a member signs in.
        (await _admin.PostAsync($"/v1/organisations/{id}/members", TestApi.Json(new { userId = "bo", email = $"bo@{id}.example", role = "member" }))).EnsureSuccessStatusCode();
        await PutAsync(_admin, id, new
        {
            issuer = fixture.Provider.TenantIssuer(id), audience = "taskee", clientId = $"client-{id}", clientSecret = "kept-secret",
            groupsClaim = "roles", groupRoles = new Dictionary<string, string> { ["b"] = "auditor", ["a"] = "admin" }, defaultRole = "billing",
            jitProvisioning = false, scopes = "openid email profile groups",
        });
        var sso = await _admin.GetJsonAsync($"/v1/organisations/{id}/sso");

        var response = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(sso.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sso.ToJsonString(), (await _admin.GetJsonAsync($"/v1/organisations/{id}/sso")).ToJsonString());
        Assert.True(await SignsInAsync(id));
    }

    [Fact]
    public async Task A_new_secret_replaces_the_old_and_no_client_id_turns_sign_in_off_and_forgets_the_secret()
    {
        var id = await OrganisationAsync();
        fixture.Provider.RegisterClient($"client-{id}", "second");
        await PutAsync(_admin, id, Settings(id, "first"));
        Assert.False(await SignsInAsync(id)); // the provider knows only the second secret
        await PutAsync(_admin, id, Settings(id, "second"));
        Assert.True(await SignsInAsync(id));

        var off = await (await PutAsync(_admin, id, new { issuer = fixture.Provider.TenantIssuer(id), audience = "a" })).ReadJsonAsync();
        Assert.Null(off["clientId"]);
        Assert.False(off["clientSecretSet"]!.GetValue<bool>());
        Assert.Null((await fixture.Node.Services.GetRequiredService<IIdentityStore>().GetSsoAsync(id))!.Oidc);
        await (await fixture.Browser().GetAsync($"/oidc/{id}/login")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_custom_role_of_the_organisation_may_be_mapped()
    {
        var id = await OrganisationAsync();
        (await _admin.PutAsync($"/v1/organisations/{id}/roles/planner", TestApi.Json(new { permissions = new[] { "org:read" } }))).EnsureSuccessStatusCode();

        var response = await PutAsync(_admin, id, new
        {
            issuer = fixture.Provider.TenantIssuer(id), audience = "a", clientId = "c", groupRoles = new Dictionary<string, string> { ["Planners"] = "planner" },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_of_organisation_a_can_neither_read_nor_change_the_settings_of_b()
    {
        var a = await OrganisationAsync();
        var b = await OrganisationAsync();
        await PutAsync(_admin, b, Settings(b));
        var before = await _admin.GetStringAsync($"/v1/organisations/{b}/sso");
        var ownerOfA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "owner"));

        await (await ownerOfA.GetAsync($"/v1/organisations/{b}/sso")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await PutAsync(ownerOfA, b, Settings(b, "hijacked"))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(before, await _admin.GetStringAsync($"/v1/organisations/{b}/sso"));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(ownerOfA, a, Settings(a))).StatusCode);
    }
}
