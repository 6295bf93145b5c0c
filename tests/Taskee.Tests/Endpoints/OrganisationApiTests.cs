using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class OrganisationApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task Creating_an_organisation_returns_201_with_location_etag_and_the_stored_organisation()
    {
        var id = TestApi.NewOrgId();
        var response = await _admin.PostAsync("/v1/organisations", TestApi.Json(new { id, name = "Acme Zorg", plan = "starter" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/organisations/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var body = await response.ReadJsonAsync();
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("starter", body["plan"]!.GetValue<string>());
        Assert.Equal("active", body["status"]!.GetValue<string>());
        Assert.Equal(1, body["version"]!.GetValue<long>());

        var read = await _admin.GetAsync($"/v1/organisations/{id}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("Acme Zorg", (await read.ReadJsonAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_an_existing_id_is_a_409_problem_and_keeps_the_first()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "pro");

        var again = await _admin.PostAsync("/v1/organisations", TestApi.Json(new { id, name = "Other", plan = "starter" }));

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        var stored = await _admin.GetJsonAsync($"/v1/organisations/{id}");
        Assert.Equal("pro", stored["plan"]!.GetValue<string>());
        Assert.Single(await _admin.AuditEventsAsync(id));
    }

    public static TheoryData<string, string> InvalidCreateBodies => new()
    {
        { """{"id":"A!","name":"x","plan":"pro"}""", "id" },
        { """{"id":"ab","name":"x","plan":"pro"}""", "id" },
        { """{"id":"-abc","name":"x","plan":"pro"}""", "id" },
        { """{"id":"valid-{0}","name":"","plan":"pro"}""", "name" },
        { """{"id":"valid-{0}","name":"x","plan":"platinum"}""", "plan" },
        { """{"id":"valid-{0}","name":"x","plan":"pro","status":"sleeping"}""", "status" },
        { """{"id":"valid-{0}","name":"x"}""", "plan" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreateBodies))]
    public async Task An_invalid_create_is_a_400_validation_problem_naming_the_field_and_creates_nothing(string template, string field)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var body = template.Replace("{0}", suffix);

        var response = await _admin.PostAsync("/v1/organisations", TestApi.Json(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?[field]);
        var notCreated = await _admin.GetAsync($"/v1/organisations/valid-{suffix}");
        Assert.Equal(HttpStatusCode.NotFound, notCreated.StatusCode);
    }

    [Theory]
    [InlineData("{\"id\":")]                                              // malformed JSON
    [InlineData("{\"id\":42,\"name\":\"x\",\"plan\":\"pro\"}")]            // wrong type
    [InlineData("{\"id\":\"x-123\",\"name\":\"x\",\"plan\":\"pro\",\"colour\":1}")] // unknown field
    [InlineData("[1,2,3]")]                                               // not an object
    public async Task A_malformed_body_is_a_400_problem_that_says_what_is_wrong(string body)
    {
        var response = await _admin.PostAsync("/v1/organisations", TestApi.Json(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("body", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem()
    {
        var huge = new string('x', 2 * 1024 * 1024);
        var response = await _admin.PostAsync("/v1/organisations", TestApi.Json($$"""{"id":"big-org","name":"{{huge}}","plan":"pro"}"""));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/v1/organisations/big-org")).StatusCode);
    }

    [Fact]
    public async Task A_body_without_json_content_type_is_a_415_problem()
    {
        var response = await _admin.PostAsync("/v1/organisations",
            new StringContent("""{"id":"plain-text","name":"x","plan":"pro"}""", System.Text.Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Listing_pages_through_organisations_in_id_order()
    {
        var prefix = "page-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 5; i++) await _admin.CreateOrganisationAsync($"{prefix}-{i}");

        var seen = new List<string>();
        string? after = $"{prefix}-";
        while (after is not null)
        {
            var page = await _admin.GetJsonAsync($"/v1/organisations?limit=2&after={after}");
            var ids = page["items"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();
            seen.AddRange(ids.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
            after = ids.Any(id => !id.StartsWith(prefix, StringComparison.Ordinal)) ? null : page["next"]?.GetValue<string>();
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}"), seen);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task Listing_with_a_page_size_out_of_range_is_a_400(int limit)
    {
        var response = await _admin.GetAsync($"/v1/organisations?limit={limit}");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patch_changes_the_given_fields_bumps_the_version_and_writes_one_audit_event()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");

        var response = await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { plan = "enterprise", status = "past_due" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var body = await response.ReadJsonAsync();
        Assert.Equal("enterprise", body["plan"]!.GetValue<string>());
        Assert.Equal("past_due", body["status"]!.GetValue<string>());
        Assert.Equal($"Org {id}", body["name"]!.GetValue<string>());

        var events = await _admin.AuditEventsAsync(id);
        Assert.Equal(["org.created", "org.updated"], events.Select(e => e["action"]!.GetValue<string>()));
        Assert.Equal("starter", events[1]["before"]!["plan"]!.GetValue<string>());
        Assert.Equal("enterprise", events[1]["after"]!["plan"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_with_a_stale_if_match_is_a_412_and_changes_nothing()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);
        await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Second" }));

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/organisations/{id}") { Content = TestApi.Json(new { name = "Third" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await _admin.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var stored = await _admin.GetJsonAsync($"/v1/organisations/{id}");
        Assert.Equal("Second", stored["name"]!.GetValue<string>());
        Assert.Equal(2, (await _admin.AuditEventsAsync(id)).Count);
    }

    [Theory]
    [InlineData("\"999\"", HttpStatusCode.PreconditionFailed)]      // well formed, not the current version
    [InlineData("W/\"1\"", HttpStatusCode.PreconditionFailed)]      // weak: If-Match compares strongly
    [InlineData("\"abc\"", HttpStatusCode.PreconditionFailed)]      // well formed, not one of our versions
    [InlineData("\"7\", \"8\"", HttpStatusCode.PreconditionFailed)] // a list, none current
    [InlineData("1", HttpStatusCode.BadRequest)]                     // not an entity tag: the quotes are missing
    [InlineData("\"1", HttpStatusCode.BadRequest)]
    public async Task An_if_match_that_is_not_current_is_a_412_and_one_that_is_malformed_a_400(string ifMatch, HttpStatusCode expected)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/organisations/{id}") { Content = TestApi.Json(new { name = "Renamed" }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await _admin.SendAsync(request);

        await response.AssertProblemAsync(expected);
        Assert.Equal($"Org {id}", (await _admin.GetJsonAsync($"/v1/organisations/{id}"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_with_the_current_if_match_succeeds()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/organisations/{id}") { Content = TestApi.Json(new { name = "Renamed" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("org.renamed", (await _admin.AuditEventsAsync(id))[^1]["action"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"plan":"gold"}""")]
    [InlineData("""{"status":"asleep"}""")]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{"name":7}""")]
    public async Task An_invalid_patch_is_a_400_and_writes_no_audit_event(string body)
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id);

        var response = await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(await _admin.AuditEventsAsync(id));
        Assert.Equal(1, (await _admin.GetJsonAsync($"/v1/organisations/{id}"))["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Patch_that_changes_nothing_keeps_the_version_and_writes_no_event()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "pro");

        var response = await _admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { plan = "pro" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.ReadJsonAsync())["version"]!.GetValue<long>());
        Assert.Single(await _admin.AuditEventsAsync(id));
    }

    [Fact]
    public async Task An_organisation_admin_key_may_rename_but_not_change_its_own_plan()
    {
        var id = TestApi.NewOrgId();
        await _admin.CreateOrganisationAsync(id, "starter");
        var orgAdmin = fixture.Node.Client(await _admin.CreateKeyAsync(id, "admin"));

        var upgrade = await orgAdmin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { plan = "enterprise" }));
        var rename = await orgAdmin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { name = "Ours" }));

        await upgrade.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var stored = await _admin.GetJsonAsync($"/v1/organisations/{id}");
        Assert.Equal("starter", stored["plan"]!.GetValue<string>());
        Assert.Equal("Ours", stored["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_organisation_is_a_404_problem()
    {
        var response = await _admin.GetAsync("/v1/organisations/does-not-exist");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        var patch = await _admin.PatchAsync("/v1/organisations/does-not-exist", TestApi.Json(new { name = "x" }));
        await patch.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
