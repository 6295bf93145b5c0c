using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Auth.Jwt;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity;

public sealed class JwtTests(JwtFixture fixture) : IClassFixture<JwtFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<string> OrganisationAsync(string plan = "enterprise")
    {
        var id = TestApi.NewOrgId("j");
        await _admin.CreateOrganisationAsync(id, plan);
        return id;
    }

    private HttpClient As(string token) => fixture.Node.Client(token);

    [Fact]
    public async Task A_valid_token_of_the_organisation_acts_on_it()
    {
        var id = await OrganisationAsync();
        var response = await As(fixture.Platform.Token(id, ["admin"])).GetAsync($"/v1/organisations/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var rename = await As(fixture.Platform.Token(id, ["admin"], subject: "ann")).PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "By Ann" }));
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var actor = (await _admin.AuditEventsAsync(id))[^1]["actor"]!;
        Assert.Equal("user", actor["kind"]!.GetValue<string>());
        Assert.Equal("ann", actor["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Roles_may_come_as_a_space_separated_string()
    {
        var id = await OrganisationAsync();
        var token = fixture.Platform.TokenWithClaim(id, "roles", "auditor member");
        Assert.Equal(HttpStatusCode.OK, (await As(token).GetAsync($"/v1/organisations/{id}/audit")).StatusCode);
        await (await As(token).PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "x" }))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    public static TheoryData<string> Forgeries => ["none", "hs256", "wrong-issuer", "wrong-audience", "expired", "not-yet-valid", "garbage"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_unfit_token_is_a_401_and_changes_nothing(string kind)
    {
        var id = await OrganisationAsync();
        var idp = fixture.Platform;
        var token = kind switch
        {
            "none" => idp.UnsignedToken(id, ["owner"]),
            "hs256" => idp.Hs256WithPublicKey(id, ["owner"]),
            "wrong-issuer" => idp.Token(id, ["owner"], issuer: "https://evil.example"),
            "wrong-audience" => idp.Token(id, ["owner"], audience: "another-api"),
            "expired" => idp.Token(id, ["owner"], notBefore: DateTime.UtcNow.AddMinutes(-30), expires: DateTime.UtcNow.AddMinutes(-5)),
            "not-yet-valid" => idp.Token(id, ["owner"], notBefore: DateTime.UtcNow.AddMinutes(5), expires: DateTime.UtcNow.AddMinutes(30)),
            _ => "not.a.jwt",
        };

        var response = await As(token).PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Forged" }));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal($"Org {id}", (await _admin.GetJsonAsync($"/v1/organisations/{id}"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_kid_fails_until_the_provider_publishes_it_then_works()
    {
        var id = await OrganisationAsync();
        var kid = fixture.Platform.AddKey("rotated-" + Guid.NewGuid().ToString("N")[..6], publish: false);
        var token = fixture.Platform.Token(id, ["admin"], kid: kid);

        await (await As(token).GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        fixture.Platform.Publish(kid);
        await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await As(token).GetAsync($"/v1/organisations/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_ec_key_signs_valid_tokens_too()
    {
        var id = await OrganisationAsync();
        var kid = fixture.Platform.AddKey("ec-" + Guid.NewGuid().ToString("N")[..6], ec: true);
        await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));

        Assert.Equal(HttpStatusCode.OK, (await As(fixture.Platform.Token(id, ["admin"], kid: kid)).GetAsync($"/v1/organisations/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_burst_of_random_kids_refreshes_the_keys_at_most_once_per_interval()
    {
        var id = await OrganisationAsync();
        await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));
        var before = fixture.Platform.JwksRequests;

        var tokens = Enumerable.Range(0, 40).Select(_ => fixture.Platform.TokenWithUnknownKid(id)).ToList();
        var started = DateTime.UtcNow;
        var responses = await Task.WhenAll(tokens.Select(t => As(t).GetAsync($"/v1/organisations/{id}")));
        var intervals = (int)Math.Ceiling((DateTime.UtcNow - started) / JwtFixture.RefreshMinInterval);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.InRange(fixture.Platform.JwksRequests - before, 0, intervals);
    }

    [Fact]
    public async Task Cached_keys_keep_working_while_the_jwks_endpoint_is_down_and_status_shows_it()
    {
        var id = await OrganisationAsync();
        var token = fixture.Platform.Token(id, ["admin"]);
        Assert.Equal(HttpStatusCode.OK, (await As(token).GetAsync($"/v1/organisations/{id}")).StatusCode);

        fixture.Platform.Down = true;
        using var metrics = new JwksAlertListener();
        try
        {
            await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));
            // An unknown kid forces a refresh attempt, which fails: the last good keys stay.
            await As(fixture.Platform.Token(id, ["admin"], kid: fixture.Platform.AddKey("while-down", publish: false))).GetAsync($"/v1/organisations/{id}");
            Assert.Equal(HttpStatusCode.OK, (await As(token).GetAsync($"/v1/organisations/{id}")).StatusCode);

            await Task.Delay(TimeSpan.FromSeconds(1.2)); // past Auth:Jwt:StaleAfter
            await fixture.Node.Services.GetRequiredService<JwksMonitor>().CheckAsync(CancellationToken.None);
            var status = await _admin.GetJsonAsync("/v1/auth/status");
            var platform = status["issuers"]!.AsArray().Single(i => i!["issuer"]!.GetValue<string>() == fixture.Platform.Issuer)!;
            Assert.True(platform["stale"]!.GetValue<bool>());
            Assert.NotNull(platform["lastError"]);
            var alerts = (await _admin.GetJsonAsync("/v1/audit?limit=1000"))["items"]!.AsArray()
                .Where(e => e!["action"]!.GetValue<string>() == "auth.jwks.stale");
            Assert.NotEmpty(alerts);
            Assert.Contains("auth.jwks.stale", metrics.Alerts);
        }
        finally
        {
            fixture.Platform.Down = false;
        }
    }

    [Fact]
    public async Task A_rotated_key_is_taken_at_first_sight_and_another_new_kid_waits_for_RefreshMinInterval()
    {
        var id = await OrganisationAsync();
        await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));
        var first = fixture.Platform.AddKey("rotated-a-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(HttpStatusCode.OK, (await As(fixture.Platform.Token(id, ["admin"], kid: first)).GetAsync($"/v1/organisations/{id}")).StatusCode);
        var afterFirst = fixture.Platform.JwksRequests;

        // Published too, but the keys were read a moment ago: no second refresh within the interval.
        var second = fixture.Platform.AddKey("rotated-b-" + Guid.NewGuid().ToString("N")[..6]);
        var secondToken = fixture.Platform.Token(id, ["admin"], kid: second);
        await (await As(secondToken).GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(afterFirst, fixture.Platform.JwksRequests);

        await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await As(secondToken).GetAsync($"/v1/organisations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As(fixture.Platform.Token(id, ["admin"], kid: first)).GetAsync($"/v1/organisations/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_key_expiring_within_ExpiryWarning_shows_in_status_and_raises_the_expiry_alert()
    {
        var id = await OrganisationAsync();
        using var metrics = new JwksAlertListener();
        var kid = fixture.Platform.AddKey("expiring-" + Guid.NewGuid().ToString("N")[..6], expires: DateTimeOffset.UtcNow.AddDays(2));
        await Task.Delay(JwtFixture.RefreshMinInterval + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await As(fixture.Platform.Token(id, ["admin"], kid: kid)).GetAsync($"/v1/organisations/{id}")).StatusCode);

        await fixture.Node.Services.GetRequiredService<JwksMonitor>().CheckAsync(CancellationToken.None);

        var status = await _admin.GetJsonAsync("/v1/auth/status");
        var key = status["issuers"]!.AsArray().Single(i => i!["issuer"]!.GetValue<string>() == fixture.Platform.Issuer)!["keys"]!.AsArray()
            .Single(k => k!["kid"]!.GetValue<string>() == kid)!;
        Assert.True(key["expiringSoon"]!.GetValue<bool>());
        Assert.NotNull(key["expiresAt"]);
        var alerts = (await _admin.GetJsonAsync("/v1/audit?limit=1000"))["items"]!.AsArray()
            .Where(e => e!["action"]!.GetValue<string>() == "auth.key.expiring" && e.ToJsonString().Contains(kid));
        Assert.Single(alerts);
        Assert.Contains("auth.key.expiring", metrics.Alerts);
    }

    [Fact]
    public async Task A_token_of_an_sso_issuer_that_cannot_be_reached_is_a_401_not_an_error()
    {
        var id = await OrganisationAsync("enterprise");
        var unreachable = $"http://127.0.0.1:1/down-{Guid.NewGuid():N}";
        var put = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(new { issuer = unreachable, audience = TestIdentityProvider.Audience }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var token = fixture.Sso.Token(orgId: null, ["admin"], issuer: unreachable);

        await (await As(token).GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_of_organisation_a_gets_404_on_organisation_b()
    {
        var a = await OrganisationAsync();
        var b = await OrganisationAsync();
        var token = fixture.Platform.Token(a, ["owner"]);

        await (await As(token).GetAsync($"/v1/organisations/{b}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await As(token).PatchAsync($"/v1/organisations/{b}", TestApi.Json(new { name = "x" }))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(await _admin.AuditEventsAsync(b));
    }

    [Fact]
    public async Task A_platform_role_token_without_an_organisation_acts_on_the_platform()
    {
        var support = As(fixture.Platform.Token(null, ["platform-support"]));
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/v1/organisations?limit=5")).StatusCode);
        await (await support.PostAsync("/v1/organisations", TestApi.Json(new { id = TestApi.NewOrgId(), name = "x", plan = "pro" })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await As(fixture.Platform.Token(null, ["owner"])).GetAsync("/v1/plans")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_organisations_own_issuer_acts_on_that_organisation_only()
    {
        var id = await OrganisationAsync("enterprise");
        var other = await OrganisationAsync("enterprise");
        var put = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(new { issuer = fixture.Sso.Issuer, audience = TestIdentityProvider.Audience, orgClaim = "org_id", rolesClaim = "roles" }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var token = fixture.Sso.Token(orgId: null, ["admin"]);
        Assert.Equal(HttpStatusCode.OK, (await As(token).GetAsync($"/v1/organisations/{id}")).StatusCode);
        await (await As(token).GetAsync($"/v1/organisations/{other}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var claimingOther = fixture.Sso.Token(other, ["admin"]);
        await (await As(claimingOther).GetAsync($"/v1/organisations/{other}")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var taken = await _admin.PutAsync($"/v1/organisations/{other}/sso", TestApi.Json(new { issuer = fixture.Sso.Issuer, audience = "x" }));
        await taken.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Sso_needs_the_sso_feature()
    {
        var id = await OrganisationAsync("starter");
        var response = await _admin.PutAsync($"/v1/organisations/{id}/sso", TestApi.Json(new { issuer = "http://127.0.0.1:1/none", audience = "a" }));
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_custom_role_grants_exactly_its_permissions()
    {
        var id = await OrganisationAsync("enterprise");
        var put = await _admin.PutAsync($"/v1/organisations/{id}/roles/compliance", TestApi.Json(new { permissions = new[] { "org:read", "audit:read" } }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var compliance = As(fixture.Platform.Token(id, ["compliance"]));

        Assert.Equal(HttpStatusCode.OK, (await compliance.GetAsync($"/v1/organisations/{id}/audit")).StatusCode);
        await (await compliance.GetAsync($"/v1/organisations/{id}/audit/export")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await compliance.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "x" }))).AssertProblemAsync(HttpStatusCode.Forbidden);

        var roles = await _admin.GetJsonAsync($"/v1/organisations/{id}/roles");
        Assert.Contains(roles["items"]!.AsArray(), r => r!["role"]!.GetValue<string>() == "compliance" && !r["builtIn"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/v1/organisations/{id}/roles/compliance")).StatusCode);
        await (await compliance.GetAsync($"/v1/organisations/{id}/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("starter", """{"permissions":["org:read"]}""", HttpStatusCode.Forbidden)]
    [InlineData("enterprise", """{"permissions":["platform:plans:write"]}""", HttpStatusCode.BadRequest)]
    [InlineData("enterprise", """{"permissions":[]}""", HttpStatusCode.BadRequest)]
    public async Task A_custom_role_needs_the_feature_and_organisation_permissions(string plan, string body, HttpStatusCode expected)
    {
        var id = await OrganisationAsync(plan);
        await (await _admin.PutAsync($"/v1/organisations/{id}/roles/custom-one", TestApi.Json(body))).AssertProblemAsync(expected);
        await (await _admin.PutAsync($"/v1/organisations/{id}/roles/admin", TestApi.Json("""{"permissions":["org:read"]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Auth_status_is_for_the_platform_only()
    {
        var id = await OrganisationAsync();
        await (await As(fixture.Platform.Token(id, ["owner"])).GetAsync("/v1/auth/status")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var status = await _admin.GetJsonAsync("/v1/auth/status");
        Assert.Contains(status["issuers"]!.AsArray(), i => i!["issuer"]!.GetValue<string>() == fixture.Platform.Issuer);
    }
}
