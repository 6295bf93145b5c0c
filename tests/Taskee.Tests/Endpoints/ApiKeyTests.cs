using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class ApiKeyTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task A_created_key_is_shown_once_works_and_is_listed_without_its_secret()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);

        var created = await (await _admin.PostAsync($"/v1/organisations/{id}/api-keys",
            TestApi.Json(new { name = "reporting", scopes = new[] { "admin" } }))).ReadJsonAsync();
        var token = created["key"]!.GetValue<string>();
        Assert.StartsWith("tk_", token);

        var own = fixture.Node.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/v1/organisations/{id}")).StatusCode);

        var listText = await _admin.GetStringAsync($"/v1/organisations/{id}/api-keys");
        Assert.Contains(created["id"]!.GetValue<string>(), listText);
        Assert.DoesNotContain(token, listText);
        Assert.DoesNotContain(token.Split('_')[2], listText);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_401()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        var created = await (await _admin.PostAsync($"/v1/organisations/{id}/api-keys",
            TestApi.Json(new { name = "temp", scopes = new[] { "admin" } }))).ReadJsonAsync();
        var client = fixture.Node.Client(created["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/organisations/{id}")).StatusCode);

        var revoke = await _admin.DeleteAsync($"/v1/organisations/{id}/api-keys/{created["id"]!.GetValue<string>()}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await (await client.GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var again = await _admin.DeleteAsync($"/v1/organisations/{id}/api-keys/{created["id"]!.GetValue<string>()}");
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_expired_key_is_refused_with_401()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        var created = await (await _admin.PostAsync($"/v1/organisations/{id}/api-keys",
            TestApi.Json(new { name = "short", scopes = new[] { "admin" }, expiresAt = DateTimeOffset.UtcNow.AddSeconds(1) }))).ReadJsonAsync();
        var client = fixture.Node.Client(created["key"]!.GetValue<string>());

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await (await client.GetAsync($"/v1/organisations/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("tk_nosuchkey_0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("tk_malformed")]
    [InlineData("tk_testadmin_0123456789abcdef0123456789abcdef0123456789abcdee")]
    public async Task No_key_or_a_bad_key_is_a_401_problem(string? key)
    {
        var client = fixture.Node.Client(key);
        var response = await client.GetAsync("/v1/plans");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_usage_key_cannot_use_the_admin_api_of_its_own_organisation()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        var usage = fixture.Node.Client(await _admin.CreateKeyAsync(id, "usage"));

        Assert.Equal(HttpStatusCode.OK, (await usage.GetAsync($"/v1/organisations/{id}/entitlements")).StatusCode);
        await (await usage.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "x" }))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await usage.PostAsync($"/v1/organisations/{id}/api-keys", TestApi.Json(new { name = "x", scopes = new[] { "admin" } })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_organisation_key_cannot_reach_platform_endpoints()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        var orgAdmin = fixture.Node.Client(await _admin.CreateKeyAsync(id, "admin"));

        await (await orgAdmin.GetAsync("/v1/organisations")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await orgAdmin.PostAsync("/v1/organisations", TestApi.Json(new { id = TestApi.NewOrgId(), name = "x", plan = "pro" })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await orgAdmin.PutAsync("/v1/flags/anything", TestApi.Json(new { enabled = true, rolloutPercent = 100 })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await orgAdmin.PutAsync($"/v1/organisations/{id}/limits/seats", TestApi.Json(new { limit = 100000 })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, (await _admin.GetJsonAsync($"/v1/organisations/{id}"))["version"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"name":"k","scopes":[]}""")]
    [InlineData("""{"name":"k","scopes":["platform-admin"]}""")]
    [InlineData("""{"scopes":["admin"]}""")]
    [InlineData("""{"name":"k","scopes":["admin"],"expiresAt":"2001-01-01T00:00:00Z"}""")]
    public async Task A_bad_key_request_is_a_400_and_creates_no_key(string body)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);

        var response = await _admin.PostAsync($"/v1/organisations/{id}/api-keys", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await _admin.GetJsonAsync($"/v1/organisations/{id}/api-keys"))["items"]!.AsArray());
    }
}
