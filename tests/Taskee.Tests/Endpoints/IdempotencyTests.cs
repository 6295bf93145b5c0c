using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class IdempotencyTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private static HttpRequestMessage Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = TestApi.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task The_same_key_and_body_replays_the_first_response_and_creates_once()
    {
        var id = TestApi.NewOrgId();
        var key = Guid.NewGuid().ToString();

        var first = await _admin.SendAsync(Post("/v1/organisations", new { id, name = "Once", plan = "pro" }, key));
        var second = await _admin.SendAsync(Post("/v1/organisations", new { id, name = "Once", plan = "pro" }, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await _admin.AuditEventsAsync(id));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_and_changes_nothing()
    {
        var id = TestApi.NewOrgId();
        var key = Guid.NewGuid().ToString();
        await _admin.SendAsync(Post("/v1/organisations", new { id, name = "First", plan = "pro" }, key));

        var conflicting = await _admin.SendAsync(Post("/v1/organisations", new { id = id + "x", name = "Second", plan = "pro" }, key));

        await conflicting.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/v1/organisations/{id}x")).StatusCode);
    }

    [Fact]
    public async Task A_replayed_limit_change_is_applied_once()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        var key = Guid.NewGuid().ToString();

        for (var i = 0; i < 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/organisations/{id}/limits/seats") { Content = TestApi.Json(new { limit = 77 }) };
            request.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(request)).StatusCode);
        }

        Assert.Equal(2, (await _admin.AuditEventsAsync(id)).Count);
    }

    [Fact]
    public async Task A_failed_request_is_not_stored_so_a_corrected_retry_with_the_same_key_runs()
    {
        var id = TestApi.NewOrgId();
        var key = Guid.NewGuid().ToString();

        var bad = await _admin.SendAsync(Post("/v1/organisations", new { id, name = "Typo", plan = "prp" }, key));
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        var retry = await _admin.SendAsync(Post("/v1/organisations", new { id, name = "Typo", plan = "prp" }, key));
        await retry.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/v1/organisations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Keys_belong_to_their_caller_so_two_tenants_do_not_collide()
    {
        var a = TestApi.NewOrgId();
        var b = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(a);
        await _admin.CreateOrganisationAsync(b);
        var clientA = fixture.Node.Client(await _admin.CreateKeyAsync(a, "admin"));
        var clientB = fixture.Node.Client(await _admin.CreateKeyAsync(b, "admin"));
        const string sharedKey = "rename-1";

        var renameA = new HttpRequestMessage(HttpMethod.Patch, $"/v1/organisations/{a}") { Content = TestApi.Json(new { name = "A" }) };
        renameA.Headers.Add("Idempotency-Key", sharedKey);
        var renameB = new HttpRequestMessage(HttpMethod.Patch, $"/v1/organisations/{b}") { Content = TestApi.Json(new { name = "B" }) };
        renameB.Headers.Add("Idempotency-Key", sharedKey);

        Assert.Equal(HttpStatusCode.OK, (await clientA.SendAsync(renameA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientB.SendAsync(renameB)).StatusCode);
        Assert.Equal("B", (await _admin.GetJsonAsync($"/v1/organisations/{b}"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_overlong_idempotency_key_is_a_400()
    {
        var request = Post("/v1/organisations", new { id = TestApi.NewOrgId(), name = "x", plan = "pro" }, new string('k', 300));
        await (await _admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
