using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using System.Security.Cryptography;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains.Storage;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Issuer;

public sealed class TokenTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    [Fact]
    public async Task Discovery_names_the_issuer_its_keys_and_its_endpoints()
    {
        var response = await fixture.Anonymous().GetAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var discovery = await response.ReadJsonAsync();
        Assert.Equal(IssuerFixture.Issuer, discovery["issuer"]!.GetValue<string>());
        Assert.Equal($"{IssuerFixture.Issuer}/.well-known/jwks.json", discovery["jwks_uri"]!.GetValue<string>());
        Assert.Equal($"{IssuerFixture.Issuer}/v1/auth/token", discovery["token_endpoint"]!.GetValue<string>());
        Assert.Equal($"{IssuerFixture.Issuer}/v1/auth/revoke", discovery["revocation_endpoint"]!.GetValue<string>());
        Assert.Equal(["refresh_token"], discovery["grant_types_supported"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["ES256"], discovery["id_token_signing_alg_values_supported"]!.AsArray().Select(g => g!.GetValue<string>()));

        var jwks = await fixture.Anonymous().GetAsync("/.well-known/jwks.json");
        Assert.Equal("public, max-age=300", jwks.Headers.CacheControl!.ToString());
        var keys = (await jwks.ReadJsonAsync())["keys"]!.AsArray();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal("EC", key!["kty"]!.GetValue<string>());
            Assert.Equal("sig", key["use"]!.GetValue<string>());
            Assert.Equal("ES256", key["alg"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(key["kid"]!.GetValue<string>()));
            Assert.Null(key["d"]); // public keys only
        }
    }

    [Fact]
    public async Task An_access_token_validates_against_the_published_jwks_with_a_plain_jwt_library()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "ann@example.com");

        // Nothing of Taskee below: the JWKS over HTTP, IdentityModel's own validation.
        var jwks = new JsonWebKeySet(await fixture.Anonymous().GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(session.Tokens.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = IssuerFixture.Issuer,
            ValidAudience = IssuerFixture.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256"],
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal(session.MemberId, token.Subject);
        Assert.Equal(orgId, token.GetPayloadValue<string>("org_id"));
        Assert.Equal(["member"], token.GetPayloadValue<List<string>>("roles"));
        Assert.Equal(["saml"], token.GetPayloadValue<List<string>>("amr"));
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.Equal(TimeSpan.FromMinutes(15), token.ValidTo - token.ValidFrom);
        Assert.Equal(900, session.Tokens.ExpiresIn);
        Assert.StartsWith("tkr_", session.Tokens.RefreshToken);
    }

    [Fact]
    public async Task A_Taskee_token_acts_on_its_organisation_and_gets_404_on_another()
    {
        var orgId = await fixture.OrganisationAsync();
        var other = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "bob@example.com", IssuerFixture.Policy(defaultRole: "admin"));
        var client = fixture.Bearer(session.Tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/organisations/{orgId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/organisations/{orgId}/members")).StatusCode);
        await (await client.GetAsync($"/v1/organisations/{other}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/v1/organisations/{other}/members")).AssertProblemAsync(HttpStatusCode.NotFound);
        // A member token is no platform caller.
        await (await client.GetAsync("/v1/organisations")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var rename = await client.PatchAsync($"/v1/organisations/{orgId}", TestApi.Json(new { name = "By Bob" }));
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var actor = (await fixture.Admin.AuditEventsAsync(orgId))[^1]["actor"]!;
        Assert.Equal("user", actor["kind"]!.GetValue<string>());
        Assert.Equal(session.MemberId, actor["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tampered_or_foreign_signed_token_with_our_issuer_is_a_401()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "eve@example.com", IssuerFixture.Policy(defaultRole: "owner"));
        var kid = new JsonWebToken(session.Tokens.AccessToken).Kid;
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt", Issuer = IssuerFixture.Issuer, Audience = IssuerFixture.Audience, Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = session.MemberId, ["org_id"] = orgId, ["roles"] = new[] { "owner" } },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(foreign) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256),
        });
        await (await fixture.Bearer(forged).GetAsync($"/v1/organisations/{orgId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_another_silo_just_stored_is_trusted_as_soon_as_a_token_names_it()
    {
        var services = fixture.Node.Services;
        var store = services.GetRequiredService<IIssuerStore>();
        var clock = services.GetRequiredService<TimeProvider>();
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "otto@example.com");

        // Another silo, with its own key cache over the same storage, stores a key and signs with it at once.
        var otherSilo = ActivatorUtilities.CreateInstance<SigningKeys>(services);
        await otherSilo.ReloadAsync(CancellationToken.None);
        var now = clock.GetUtcNow();
        var current = (await store.ListKeysAsync()).Where(k => k.SignsFrom <= now && now < k.SignsUntil).MaxBy(k => k.Generation)!;
        var added = otherSilo.NewKey((await store.ListKeysAsync()).Max(k => k.Generation) + 1, now - TimeSpan.FromSeconds(1), current.SignsUntil, now);
        Assert.True(await store.AddKeyAsync(added));
        await otherSilo.ReloadAsync(CancellationToken.None);
        var token = await ActivatorUtilities.CreateInstance<SessionTokens>(services, otherSilo)
            .AccessTokenAsync(new SessionSubject(orgId, session.MemberId, ["member"], "oidc"), CancellationToken.None);
        Assert.Equal(added.Kid, new JsonWebToken(token).Kid);
        Assert.DoesNotContain(added.Kid, services.GetRequiredService<SigningKeys>().Published().Select(k => k.KeyId));

        Assert.Equal(HttpStatusCode.OK, (await fixture.Bearer(token).GetAsync($"/v1/organisations/{orgId}")).StatusCode);
    }

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_reuse_of_a_used_one_revokes_the_family()
    {
        var orgId = await fixture.OrganisationAsync();
        var first = (await fixture.SignedInAsync(orgId, "cat@example.com")).Tokens;

        var response = await fixture.RefreshAsync(first.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var second = await response.ReadJsonAsync();
        Assert.Equal("Bearer", second["token_type"]!.GetValue<string>());
        Assert.Equal(900, second["expires_in"]!.GetValue<int>());
        var secondRefresh = second["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(first.RefreshToken, secondRefresh);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Bearer(second["access_token"]!.GetValue<string>()).GetAsync($"/v1/organisations/{orgId}")).StatusCode);

        var third = await (await fixture.RefreshAsync(secondRefresh)).ReadJsonAsync();
        var newest = third["refresh_token"]!.GetValue<string>();

        // The first token again: someone kept a copy. The whole family goes, the newest token too.
        var reuse = await (await fixture.RefreshAsync(first.RefreshToken)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", reuse["error"]!.GetValue<string>());
        Assert.Contains("already used", reuse["error_description"]!.GetValue<string>());
        var after = await (await fixture.RefreshAsync(newest)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", after["error"]!.GetValue<string>());

        var events = await fixture.Admin.AuditEventsAsync(orgId);
        Assert.Contains(events, e => e["action"]!.GetValue<string>() == "auth.refresh_token.reused");
    }

    [Fact]
    public async Task Refresh_accepts_a_JSON_body_and_carries_the_members_current_role()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "dan@example.com");
        // The identity provider now puts Dan in the admins' group: his next sign-in updates the stored role.
        await fixture.SignedInAsync(orgId, "dan@example.com", IssuerFixture.Policy(groupRoles: new Dictionary<string, string> { ["admins"] = "admin" }), "admins");

        var response = await fixture.Anonymous().PostAsync("/v1/auth/token", TestApi.Json(new { grant_type = "refresh_token", refresh_token = session.Tokens.RefreshToken }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = new JsonWebToken((await response.ReadJsonAsync())["access_token"]!.GetValue<string>());
        Assert.Equal(["admin"], token.GetPayloadValue<List<string>>("roles"));
    }

    public static TheoryData<string, string?, string> BadRequests => new()
    {
        { "missing grant", "refresh_token=tkr_x", "invalid_request" },
        { "unknown grant", "grant_type=password&username=a&password=b", "unsupported_grant_type" },
        { "no refresh token", "grant_type=refresh_token", "invalid_request" },
        { "garbage token", "grant_type=refresh_token&refresh_token=garbage", "invalid_grant" },
        { "unknown token", "grant_type=refresh_token&refresh_token=tkr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid_grant" },
        { "json garbage", null, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_token_request_is_a_400_with_the_OAuth_error(string what, string? form, string error)
    {
        HttpContent content = form is null
            ? new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")
            : new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        var problem = await (await fixture.Anonymous().PostAsync("/v1/auth/token", content)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(error == problem["error"]!.GetValue<string>(), what);
        Assert.False(string.IsNullOrWhiteSpace(problem["error_description"]!.GetValue<string>()));
        Assert.DoesNotContain("System.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sign_out_revokes_the_session()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = (await fixture.SignedInAsync(orgId, "fay@example.com")).Tokens;

        var signOut = await fixture.Anonymous().PostAsync("/v1/auth/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["refresh_token"] = session.RefreshToken }));
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("taskee_session=;", StringComparison.Ordinal));

        var problem = await (await fixture.RefreshAsync(session.RefreshToken)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", problem["error"]!.GetValue<string>());
        Assert.Contains(await fixture.Admin.AuditEventsAsync(orgId), e => e["action"]!.GetValue<string>() == "auth.session.revoked");
    }

    [Fact]
    public async Task Revocation_per_RFC_7009_revokes_and_answers_200_for_an_unknown_token_too()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = (await fixture.SignedInAsync(orgId, "gus@example.com")).Tokens;

        Assert.Equal(HttpStatusCode.OK, (await fixture.Anonymous().PostAsync("/v1/auth/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = session.RefreshToken, ["token_type_hint"] = "refresh_token" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Anonymous().PostAsync("/v1/auth/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "tkr_unknown" }))).StatusCode);
        var missing = await (await fixture.Anonymous().PostAsync("/v1/auth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>()))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request", missing["error"]!.GetValue<string>());

        Assert.Equal("invalid_grant", (await (await fixture.RefreshAsync(session.RefreshToken)).AssertProblemAsync(HttpStatusCode.BadRequest))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Removing_a_member_revokes_its_refresh_tokens()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "hal@example.com");

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Admin.DeleteAsync($"/v1/organisations/{orgId}/members/{session.MemberId}")).StatusCode);

        var problem = await (await fixture.RefreshAsync(session.Tokens.RefreshToken)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", problem["error"]!.GetValue<string>());
        Assert.Contains("revoked", problem["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_at_rest_are_protected_and_refresh_tokens_are_only_hashed()
    {
        var orgId = await fixture.OrganisationAsync();
        var session = await fixture.SignedInAsync(orgId, "ivy@example.com");
        var dialect = fixture.Node.Services.GetRequiredService<SqlDialect>();
        await using var connection = await dialect.OpenAsync(CancellationToken.None);

        var protector = fixture.Node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(SigningKeys.ProtectorPurpose);
        var rows = (await connection.QueryAsync<(string Kid, string PrivateKey)>("SELECT kid, private_key FROM issuer_keys")).ToList();
        Assert.NotEmpty(rows);
        foreach (var (kid, stored) in rows)
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(stored)), out _);
            var d = ecdsa.ExportParameters(true).D!;
            Assert.DoesNotContain(Base64UrlEncoder.Encode(d), stored);
            Assert.DoesNotContain(Convert.ToBase64String(d), stored);
            Assert.False(Convert.FromBase64String(stored).AsSpan().IndexOf(d) >= 0, $"key {kid} holds its private scalar in the clear");
        }

        // The Data Protection key ring itself is encrypted with the key-encryption key.
        var ring = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        Assert.NotEmpty(ring);
        Assert.All(ring, xml => Assert.DoesNotContain("<masterKey", xml));
        Assert.All(ring, xml => Assert.Contains("taskeeEncryptedKey", xml));

        // Another silo (or this one after a restart) reads the ring from the database, decrypts it, and opens the keys.
        var otherSilo = new ServiceCollection()
            .AddSingleton(fixture.Node.Services.GetRequiredService<IKeyRingStore>())
            .AddSingleton(fixture.Node.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IssuerOptions>>())
            .AddTaskeeDataProtection()
            .BuildServiceProvider();
        var reopened = otherSilo.GetRequiredService<IDataProtectionProvider>().CreateProtector(SigningKeys.ProtectorPurpose);
        Assert.All(rows, row => Assert.NotEmpty(reopened.Unprotect(Convert.FromBase64String(row.PrivateKey))));

        var hashes = (await connection.QueryAsync<string>("SELECT token_hash FROM refresh_tokens")).ToList();
        Assert.Contains(SessionTokens.Hash(session.Tokens.RefreshToken), hashes);
        Assert.DoesNotContain(session.Tokens.RefreshToken, hashes);
    }
}
