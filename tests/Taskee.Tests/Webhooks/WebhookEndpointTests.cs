using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>Creating, reading, changing, deleting and rotating an organisation's webhook endpoints, and where the secret shows.</summary>
public sealed class WebhookEndpointTests(WebhookNodeFixture fixture) : IClassFixture<WebhookNodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(string OrgId, HttpClient Client)> OrganisationAsync(string plan = "pro")
    {
        var orgId = TestApi.NewOrgId("wh");
        await _admin.CreateOrganisationAsync(orgId, plan);
        return (orgId, fixture.Node.Client(await _admin.CreateKeyAsync(orgId, "admin")));
    }

    [Fact]
    public async Task An_endpoint_is_created_listed_read_changed_and_deleted_each_change_audited_and_its_grain_woken()
    {
        var (org, client) = await OrganisationAsync();

        var response = await client.PostAsync(WebhookApi.Webhooks(org),
            TestApi.Json(new { url = WebhookApi.PublicUrl, events = new[] { "org.*", "quota.exhausted", "org.*" }, description = "CRM sync" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        var id = created.Id();
        Assert.StartsWith("wh_", id);
        Assert.Equal($"/v1/organisations/{org}/webhooks/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(["org.*", "quota.exhausted"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(created["enabled"]!.GetValue<bool>());
        Assert.StartsWith("whsec_", created["secret"]!.GetValue<string>());
        Assert.Equal(32, Convert.FromBase64String(created["secret"]!.GetValue<string>()["whsec_".Length..]).Length);

        var listed = (await client.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray();
        var read = await client.GetAsync($"{WebhookApi.Webhooks(org)}/{id}");
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        var one = await read.ReadJsonAsync();
        Assert.Equal(id, Assert.Single(listed)!.Id());
        Assert.Equal(WithoutSecret(created).ToJsonString(), one.ToJsonString());

        var patched = await client.PatchAsync($"{WebhookApi.Webhooks(org)}/{id}",
            TestApi.Json(new { url = "https://93.184.215.15/other", events = new[] { "*" }, description = "", enabled = false }));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag!.Tag);
        var changed = await patched.ReadJsonAsync();
        Assert.Equal("https://93.184.215.15/other", changed["url"]!.GetValue<string>());
        Assert.Equal(["*"], changed["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Null(changed["description"]);
        Assert.False(changed["enabled"]!.GetValue<bool>());
        Assert.Equal(changed.ToJsonString(), (await client.GetJsonAsync($"{WebhookApi.Webhooks(org)}/{id}")).ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{WebhookApi.Webhooks(org)}/{id}")).StatusCode);
        await (await client.GetAsync($"{WebhookApi.Webhooks(org)}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"{WebhookApi.Webhooks(org)}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await client.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray());

        var audit = (await _admin.AuditEventsAsync(org)).Where(e => e["action"]!.GetValue<string>().StartsWith("webhook.")).ToList();
        Assert.Equal(["webhook.created", "webhook.updated", "webhook.deleted"], audit.Select(e => e["action"]!.GetValue<string>()));
        Assert.All(audit, e => Assert.Equal($"organisations/{org}/webhooks/{id}", e["target"]!.GetValue<string>()));
        Assert.Equal("""{"url":"https://93.184.215.14/taskee-hooks","events":["org.*","quota.exhausted"],"description":"CRM sync","enabled":true}""",
            audit[0]["after"]!.ToJsonString());
        Assert.Equal(audit[0]["after"]!.ToJsonString(), audit[1]["before"]!.ToJsonString());
        Assert.Equal("""{"url":"https://93.184.215.15/other","events":["*"],"description":null,"enabled":false}""", audit[1]["after"]!.ToJsonString());
        Assert.Equal(audit[1]["after"]!.ToJsonString(), audit[2]["before"]!.ToJsonString());
        Assert.Null(audit[2]["after"]);

        Assert.Equal(3, fixture.Wakes.Woken.Count(w => w == id));
    }

    [Fact]
    public async Task Sending_back_what_get_returned_changes_nothing_and_records_nothing()
    {
        var (org, client) = await OrganisationAsync();
        var id = (await client.CreateWebhookAsync(org)).Id();
        var auditBefore = (await _admin.AuditEventsAsync(org)).Count;

        var response = await client.PatchAsync($"{WebhookApi.Webhooks(org)}/{id}", TestApi.Json(new { url = WebhookApi.PublicUrl, enabled = true }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.ReadJsonAsync())["version"]!.GetValue<long>());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(org)).Count);
    }

    [Fact]
    public async Task Rotation_answers_a_new_secret_once_and_until_when_the_old_one_signs()
    {
        var (org, client) = await OrganisationAsync();
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id();
        var before = DateTimeOffset.UtcNow;

        var response = await client.PostAsync($"{WebhookApi.Webhooks(org)}/{id}/rotate-secret", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = await response.ReadJsonAsync();
        var secret = rotated["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        Assert.NotEqual(created["secret"]!.GetValue<string>(), secret);
        var until = rotated["previousSecretValidUntil"]!.GetValue<DateTimeOffset>();
        Assert.InRange(until, before.AddHours(24).AddSeconds(-5), DateTimeOffset.UtcNow.AddHours(24).AddSeconds(5));

        var read = await client.GetJsonAsync($"{WebhookApi.Webhooks(org)}/{id}");
        Assert.Equal(until, read["previousSecretValidUntil"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2, read["version"]!.GetValue<long>());
        var audit = (await _admin.AuditEventsAsync(org))[^1];
        Assert.Equal("webhook.secret_rotated", audit["action"]!.GetValue<string>());
        Assert.Equal(until, audit["after"]!["previousSecretValidUntil"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2, fixture.Wakes.Woken.Count(w => w == id));
        await (await client.PostAsync($"{WebhookApi.Webhooks(org)}/wh_missing/rotate-secret", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_secret_appears_only_in_the_create_and_rotate_answers_never_in_reads_the_audit_export_or_the_logs()
    {
        var (org, client) = await OrganisationAsync();
        var created = await client.CreateWebhookAsync(org);
        var id = created.Id();
        var rotated = await (await client.PostAsync($"{WebhookApi.Webhooks(org)}/{id}/rotate-secret", null)).ReadJsonAsync();
        await client.PatchAsync($"{WebhookApi.Webhooks(org)}/{id}", TestApi.Json(new { enabled = false }));
        string[] secrets = [created["secret"]!.GetValue<string>(), rotated["secret"]!.GetValue<string>()];

        var answers = string.Join('\n', await client.GetStringAsync(WebhookApi.Webhooks(org)),
            await client.GetStringAsync($"{WebhookApi.Webhooks(org)}/{id}"),
            await _admin.GetStringAsync($"/v1/organisations/{org}/audit?limit=1000"),
            await _admin.GetStringAsync($"/v1/organisations/{org}/audit/export?format=ndjson"),
            await _admin.GetStringAsync($"/v1/organisations/{org}/audit/export?format=csv"));

        Assert.Contains(id, answers);
        Assert.Contains(id, fixture.Logs.Text);
        foreach (var secret in secrets)
        {
            var key = secret["whsec_".Length..];
            Assert.DoesNotContain(key, answers);
            Assert.DoesNotContain(key, fixture.Logs.Text);
        }
        Assert.Null((await client.GetJsonAsync($"{WebhookApi.Webhooks(org)}/{id}"))["secret"]);
    }

    [Fact]
    public async Task A_patch_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        var (org, client) = await OrganisationAsync();
        var id = (await client.CreateWebhookAsync(org)).Id();
        var path = $"{WebhookApi.Webhooks(org)}/{id}";
        await client.PatchAsync(path, TestApi.Json(new { description = "v2" }));

        var stale = new HttpRequestMessage(HttpMethod.Patch, path) { Content = TestApi.Json(new { description = "lost update" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var problem = await (await client.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("\"2\"", problem["detail"]!.GetValue<string>());
        Assert.Equal("v2", (await client.GetJsonAsync(path))["description"]!.GetValue<string>());

        var current = new HttpRequestMessage(HttpMethod.Patch, path) { Content = TestApi.Json(new { description = "v3" }) };
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        var response = await client.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"3\"", response.Headers.ETag!.Tag);

        var malformed = new HttpRequestMessage(HttpMethod.Patch, path) { Content = TestApi.Json(new { description = "x" }) };
        malformed.Headers.TryAddWithoutValidation("If-Match", "3");
        await (await client.SendAsync(malformed)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    public static TheoryData<string, string> RefusedUrls => new()
    {
        { "http://93.184.215.14/hook", "https://" },
        { "ftp://93.184.215.14/hook", "absolute https://" },
        { "/relative/hook", "absolute https://" },
        { "https://user:pass@93.184.215.14/hook", "user name or password" },
        { "https://127.0.0.1/hook", "127.0.0.1" },
        { "https://2130706433/hook", "127.0.0.1" },
        { "https://10.1.2.3/hook", "10.1.2.3" },
        { "https://172.16.0.1/hook", "172.16.0.1" },
        { "https://192.168.1.10/hook", "192.168.1.10" },
        { "https://169.254.169.254/latest/meta-data", "169.254.169.254" },
        { "https://100.64.0.1/hook", "100.64.0.1" },
        { "https://0.0.0.0/hook", "0.0.0.0" },
        { "https://[::1]/hook", "::1" },
        { "https://[fe80::1]/hook", "fe80::1" },
        { "https://[fd00::1]/hook", "fd00::1" },
        { "https://[::ffff:127.0.0.1]/hook", "127.0.0.1" },
        { "https://[::ffff:169.254.169.254]/hook", "169.254.169.254" },
        { "https://localhost/hook", "'localhost' is or resolves to" },
        { "https://no-such-host.invalid/hook", "could not be resolved" },
    };

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task A_url_that_is_not_https_to_a_public_address_is_refused_with_the_reason_and_nothing_is_stored(string url, string reason)
    {
        var (org, client) = await OrganisationAsync();
        var auditBefore = (await _admin.AuditEventsAsync(org)).Count;

        var response = await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json(new { url, events = new[] { "*" } }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!["url"]!.AsArray())!.GetValue<string>();
        Assert.Contains(reason, error);
        Assert.DoesNotContain("Exception", error);
        Assert.Empty((await client.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray());
        Assert.Equal(auditBefore, (await _admin.AuditEventsAsync(org)).Count);
    }

    [Fact]
    public async Task A_patch_to_a_private_url_is_refused_and_the_endpoint_keeps_its_url()
    {
        var (org, client) = await OrganisationAsync();
        var id = (await client.CreateWebhookAsync(org)).Id();

        var response = await client.PatchAsync($"{WebhookApi.Webhooks(org)}/{id}", TestApi.Json(new { url = "https://[::ffff:10.0.0.1]/hook" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("10.0.0.1", problem["errors"]!["url"]![0]!.GetValue<string>());
        Assert.Equal(WebhookApi.PublicUrl, (await client.GetJsonAsync($"{WebhookApi.Webhooks(org)}/{id}"))["url"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> RefusedBodies => new()
    {
        { """{"url":"https://93.184.215.14/h","events":["org.nonsense"]}""", "events", "'org.nonsense'" },
        { """{"url":"https://93.184.215.14/h","events":["nothing.*"]}""", "events", "'nothing.*'" },
        { """{"url":"https://93.184.215.14/h","events":["plan.updated"]}""", "events", "'plan.updated'" },
        { """{"url":"https://93.184.215.14/h","events":["org*"]}""", "events", "'org*'" },
        { """{"url":"https://93.184.215.14/h","events":[]}""", "events", "1 to 100" },
        { """{"url":"https://93.184.215.14/h"}""", "events", "events is required" },
        { """{"events":["*"]}""", "url", "url is required" },
        { """{"url":"https://93.184.215.14/h","events":["*"],"description":"DESCRIPTION"}""", "description", "at most 500" },
        { """{"url":"https://93.184.215.14/URL","events":["*"]}""", "url", "at most 2048" },
    };

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public async Task An_invalid_body_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field, string message)
    {
        var (org, client) = await OrganisationAsync();
        body = body.Replace("DESCRIPTION", new string('d', 501)).Replace("URL", new string('u', 2048));

        var problem = await (await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(message, problem["errors"]![field]![0]!.GetValue<string>());
        Assert.Empty((await client.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_event_type_is_answered_with_the_valid_ones()
    {
        var (org, client) = await OrganisationAsync();

        var problem = await (await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json(new { url = WebhookApi.PublicUrl, events = new[] { "org.limit.sett" } })))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        var error = problem["errors"]!["events"]![0]!.GetValue<string>();
        Assert.Contains("'org.limit.sett'", error);
        foreach (var type in new[] { "org.limit.set", "quota.exhausted", "member.added", "billing.status.changed", "webhook.test" })
            Assert.Contains(type, error);
    }

    [Fact]
    public async Task Prefixes_of_catalogue_types_and_the_wildcard_are_accepted()
    {
        var (org, client) = await OrganisationAsync();

        var created = await client.CreateWebhookAsync(org, new { url = WebhookApi.PublicUrl, events = new[] { "org.limit.*", "billing.*", "member.*", "*" } });

        Assert.Equal(["org.limit.*", "billing.*", "member.*", "*"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_field_is_a_400()
    {
        var (org, client) = await OrganisationAsync();
        var response = await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json("""{"url":"https://93.184.215.14/h","events":["*"],"secret":"whsec_mine"}"""));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_organisation_without_api_access_gets_a_403_that_names_the_feature_and_the_plans_that_have_it()
    {
        var (org, client) = await OrganisationAsync("starter");

        var create = await (await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json(new { url = WebhookApi.PublicUrl, events = new[] { "*" } })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        var list = await (await client.GetAsync(WebhookApi.Webhooks(org))).AssertProblemAsync(HttpStatusCode.Forbidden);

        foreach (var problem in new[] { create, list })
        {
            var detail = problem["detail"]!.GetValue<string>();
            Assert.Contains("'api_access'", detail);
            Assert.Contains("'starter'", detail);
            Assert.Contains("plans enterprise, pro have it", detail);
        }
        Assert.Empty((await _admin.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_organisation_has_at_most_20_endpoints()
    {
        var (org, client) = await OrganisationAsync();
        for (var i = 0; i < 20; i++) await client.CreateWebhookAsync(org);

        var problem = await (await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json(new { url = WebhookApi.PublicUrl, events = new[] { "*" } })))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("20 webhook endpoints", problem["detail"]!.GetValue<string>());
        Assert.Equal(20, (await client.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Setting_enabled_clears_the_reason_the_service_gave_for_disabling_the_endpoint()
    {
        var (org, client) = await OrganisationAsync();
        var id = (await client.CreateWebhookAsync(org)).Id();
        // What delivery does when a message failed for the whole retry window.
        var store = fixture.Node.Services.GetRequiredService<IWebhookStore>();
        var current = (await store.FindAsync(org, id))!;
        await store.UpdateAsync(current.Version, current with { Enabled = false, DisabledReason = "retry window exhausted" },
            new AuditRecord("webhook.disabled", $"organisations/{org}/webhooks/{id}", null, null), new ChangeContext(AuditActor.System, null, null));
        Assert.Equal("retry window exhausted", (await client.GetJsonAsync($"{WebhookApi.Webhooks(org)}/{id}"))["disabledReason"]!.GetValue<string>());

        var described = await (await client.PatchAsync($"{WebhookApi.Webhooks(org)}/{id}", TestApi.Json(new { description = "still off" }))).ReadJsonAsync();
        Assert.Equal("retry window exhausted", described["disabledReason"]!.GetValue<string>());

        var enabled = await (await client.PatchAsync($"{WebhookApi.Webhooks(org)}/{id}", TestApi.Json(new { enabled = true }))).ReadJsonAsync();
        Assert.True(enabled["enabled"]!.GetValue<bool>());
        Assert.Null(enabled["disabledReason"]);
    }

    [Fact]
    public async Task Platform_support_reads_the_endpoints_of_an_organisation_without_api_access_which_cannot_add_any()
    {
        var (org, client) = await OrganisationAsync();
        var id = (await client.CreateWebhookAsync(org)).Id();
        await _admin.PatchAsync($"/v1/organisations/{org}", TestApi.Json(new { plan = "starter" }));
        var support = fixture.Node.Client(fixture.Identity.Token(null, ["platform-support"]));

        Assert.Equal(id, Assert.Single((await support.GetJsonAsync(WebhookApi.Webhooks(org)))["items"]!.AsArray())!.Id());
        await (await client.GetAsync(WebhookApi.Webhooks(org))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsync(WebhookApi.Webhooks(org), TestApi.Json(new { url = WebhookApi.PublicUrl, events = new[] { "*" } })))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private static JsonNode WithoutSecret(JsonNode created)
    {
        var copy = created.DeepClone().AsObject();
        copy.Remove("secret");
        return copy;
    }
}
