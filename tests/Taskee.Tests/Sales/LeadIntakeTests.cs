using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>The public intake (POST /v1/leads) and sales' side of the leads (GET/PATCH), against a real database.</summary>
public sealed class LeadIntakeTests(SalesNodeFixture fixture) : IClassFixture<SalesNodeFixture>
{
    private readonly HttpClient _public = fixture.Node.Client(null);
    private readonly HttpClient _admin = fixture.Node.Admin();

    [Fact]
    public async Task A_qualified_lead_is_stored_with_its_reasons_consent_and_first_stage()
    {
        var response = await LeadForms.SendAsync(_public, LeadForms.Qualified());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        var id = created["id"]!.GetValue<string>();
        Assert.Equal($"/v1/leads/{id}", response.Headers.Location!.OriginalString);
        Assert.True(created["qualified"]!.GetValue<bool>());
        Assert.Equal(["more_than_25_users", "compliance_need", "sso_need"], created["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));

        var lead = await _admin.GetJsonAsync($"/v1/leads/{id}");
        Assert.Equal("Zorggroep De Linde", lead["organisationName"]!.GetValue<string>());
        Assert.Equal("anna@delinde.example.nl", lead["contact"]!["email"]!.GetValue<string>());
        Assert.Equal(4, lead["score"]!.GetValue<int>()); // 2 (users) + 1 (NEN 7510) + 1 (SSO)
        Assert.Equal("new", lead["status"]!.GetValue<string>());
        Assert.Equal("nl", lead["language"]!.GetValue<string>());
        Assert.Equal("2026-12-01", lead["consent"]!["version"]!.GetValue<string>());
        Assert.StartsWith("Taskee mag mij", lead["consent"]!["text"]!.GetValue<string>());
        Assert.Equal("new", lead["statusHistory"]!.AsArray().Single()!["status"]!.GetValue<string>());
        Assert.Equal("pending", lead["crm"]!["status"]!.GetValue<string>()); // queued; no provider on this node
        Assert.Equal(1, lead["crm"]!["pending"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_contracts_body_alone_without_form_token_language_or_honeypot_is_accepted()
    {
        var response = await _public.PostAsync("/v1/leads", TestApi.Json(LeadForms.Qualified().ToJsonString()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(created!["qualified"]!.GetValue<bool>());
        Assert.NotEmpty(created["reasons"]!.AsArray());
    }

    [Fact]
    public async Task An_unqualified_lead_is_stored_and_not_handed_to_the_crm()
    {
        var response = await LeadForms.SendAsync(_public, LeadForms.Unqualified());

        var created = await response.ReadJsonAsync();
        Assert.False(created["qualified"]!.GetValue<bool>());
        var lead = await _admin.GetJsonAsync($"/v1/leads/{created["id"]!.GetValue<string>()}");
        Assert.Equal("none", lead["crm"]!["status"]!.GetValue<string>());
        Assert.Equal(0, lead["crm"]!["pending"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_english_form_stores_the_english_consent_text()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Change(LeadForms.Qualified(), b => b["language"] = "en"));

        var lead = await _admin.GetJsonAsync($"/v1/leads/{id}");
        Assert.StartsWith("Taskee may contact me", lead["consent"]!["text"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"organisationName":""}""", "organisationName" },
        { """{"sector":"retail"}""", "sector" },
        { """{"users":0}""", "users" },
        { """{"users":null}""", "users" },
        { """{"compliance":["iso9001"]}""", "compliance" },
        { """{"tooling":["lotus-notes"]}""", "tooling" },
        { """{"contact":{"name":"Anna","email":"not-an-address","phone":null}}""", "contact.email" },
        { """{"contact":{"name":"","email":"anna@example.nl","phone":null}}""", "contact.name" },
        { """{"contact":{"name":"Anna","email":"anna@example.nl","phone":"call me"}}""", "contact.phone" },
        { """{"consent":false}""", "consent" },
        { """{"language":"de"}""", "language" },
        { """{"website":"http://spam.example"}""", "website" },
        { """{"formToken":"forged"}""", "formToken" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_field_is_a_400_naming_the_field_and_nothing_is_stored(string change, string field)
    {
        var before = await CountAsync();
        var body = LeadForms.Qualified();
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject()) body[key] = value?.DeepClone();

        var problem = await (await LeadForms.SendAsync(_public, body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]![field] is JsonArray { Count: > 0 }, problem.ToJsonString());
        Assert.DoesNotContain("System.", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_field_the_form_does_not_have_and_a_number_sent_as_text_are_400s()
    {
        var extra = LeadForms.Change(LeadForms.Qualified(), b => b["budget"] = 1000);
        await (await LeadForms.SendAsync(_public, extra)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var text = LeadForms.Change(LeadForms.Qualified(), b => b["users"] = "forty");
        await (await LeadForms.SendAsync(_public, text)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_larger_than_a_form_is_refused_with_413_before_it_is_read()
    {
        var body = LeadForms.Change(LeadForms.Qualified(), b => b["integrations"] = new string('x', 20_000));
        await (await LeadForms.SendAsync(_public, body)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // Chunked, without a Content-Length: counted while read.
        var chunked = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await _public.SendAsync(request)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_audit_event_of_a_lead_holds_no_contact_details()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Qualified());

        var created = Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"leads/{id}"));
        Assert.Equal("lead.created", created["action"]!.GetValue<string>());
        Assert.Equal("public", created["actor"]!["kind"]!.GetValue<string>());
        var text = created.ToJsonString();
        Assert.Contains("Zorggroep De Linde", text, StringComparison.Ordinal);
        Assert.DoesNotContain("anna@delinde", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna de Vries", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1234 5678", text, StringComparison.Ordinal);
        Assert.Null(created["ip"]?.GetValue<string>());
    }

    [Fact]
    public async Task Sales_moves_a_lead_forward_and_every_stage_keeps_its_time()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Unqualified());

        var contacted = await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "contacted", owner = "sales@taskee.example", notes = "Called Anna" }));
        Assert.Equal(HttpStatusCode.OK, contacted.StatusCode);
        Assert.Equal("\"2\"", contacted.Headers.ETag!.Tag);
        var proposal = await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "proposal" }));
        var lead = await proposal.ReadJsonAsync();

        Assert.Equal("proposal", lead["status"]!.GetValue<string>());
        Assert.Equal("sales@taskee.example", lead["owner"]!.GetValue<string>()); // kept: not in the second request
        var stages = lead["statusHistory"]!.AsArray();
        Assert.Equal(["new", "contacted", "proposal"], stages.Select(s => s!["status"]!.GetValue<string>()));
        Assert.All(stages.Take(2), s => Assert.NotNull(s!["leftAt"]?.GetValue<DateTimeOffset>()));
        Assert.Null(stages[2]!["leftAt"]);
        Assert.Equal(2, lead["crm"]!["pending"]!.GetValue<int>()); // each status change is a hand-off

        var audit = await PlatformAudit.EventsAboutAsync(_admin, $"leads/{id}");
        Assert.Equal(["lead.created", "lead.updated", "lead.updated"], audit.Select(e => e["action"]!.GetValue<string>()));
        var first = audit[1].ToJsonString();
        var after = audit[1]["after"]!;
        Assert.Equal("contacted", after["status"]!.GetValue<string>());
        Assert.True(after["ownerChanged"]!.GetValue<bool>());
        Assert.True(after["notesChanged"]!.GetValue<bool>());
        Assert.DoesNotContain("sales@taskee.example", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Called Anna", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_never_moves_back_and_won_is_final()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Qualified());
        Assert.Equal(HttpStatusCode.OK, (await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "proposal" }))).StatusCode);

        var back = await (await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "contacted" }))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("won, lost", back["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "won" }))).StatusCode);
        await (await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "lost" }))).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "closed" }))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("won", (await _admin.GetJsonAsync($"/v1/leads/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_writes_nothing()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Qualified());

        var same = await _admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "new", owner = "" }));

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, (await same.ReadJsonAsync())["version"]!.GetValue<long>());
        Assert.Single(await PlatformAudit.EventsAboutAsync(_admin, $"leads/{id}"));
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Qualified());
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/leads/{id}") { Content = TestApi.Json(new { status = "contacted" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"7\"");

        await (await _admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("new", (await _admin.GetJsonAsync($"/v1/leads/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Leads_are_listed_newest_first_by_status_in_pages()
    {
        var older = await LeadForms.CreateAsync(_public, LeadForms.Qualified("Paging A"));
        var newer = await LeadForms.CreateAsync(_public, LeadForms.Qualified("Paging B"));
        await _admin.PatchAsync($"/v1/leads/{older}", TestApi.Json(new { status = "lost" }));
        await _admin.PatchAsync($"/v1/leads/{newer}", TestApi.Json(new { status = "lost" }));

        var first = await _admin.GetJsonAsync("/v1/leads?status=lost&limit=1");
        Assert.Equal(newer, first["items"]![0]!["id"]!.GetValue<string>());
        var next = first["next"]!.GetValue<string>();
        var second = await _admin.GetJsonAsync($"/v1/leads?status=lost&limit=1&before={next}");
        Assert.Equal(older, second["items"]![0]!["id"]!.GetValue<string>());
        await (await _admin.GetAsync("/v1/leads?status=closed")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _admin.GetAsync("/v1/leads?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_lead_is_404()
    {
        await (await _admin.GetAsync("/v1/leads/lead_nothing")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.PatchAsync("/v1/leads/lead_nothing", TestApi.Json(new { status = "contacted" }))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_organisations_key_can_neither_read_nor_change_leads()
    {
        var id = await LeadForms.CreateAsync(_public, LeadForms.Qualified());
        var org = TestApi.NewOrgId("tenant");
        await _admin.CreateOrganisationAsync(org);
        var owner = fixture.Node.Client(await _admin.CreateKeyAsync(org, "owner"));

        await (await owner.GetAsync("/v1/leads")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.GetAsync($"/v1/leads/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "lost" }))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _public.GetAsync("/v1/leads")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("new", (await _admin.GetJsonAsync($"/v1/leads/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_enterprise_page_is_served_without_sign_in()
    {
        var page = await _public.GetAsync("/enterprise");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"nl\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _public.GetAsync("/enterprise/assets/intake.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _public.GetAsync("/enterprise/assets/missing.js")).StatusCode);
    }

    private async Task<int> CountAsync() => (await _admin.GetJsonAsync("/v1/leads?limit=200"))["items"]!.AsArray().Count;
}
