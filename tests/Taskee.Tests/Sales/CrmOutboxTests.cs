using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Sales.Crm;
using Taskee.Client.Webhooks;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>
/// The CRM hand-off through a fake CRM on loopback that fails on command: retried with back-off until delivered, visible on
/// the lead meanwhile, claimed by one sender at a time, and never duplicated in the CRM.
/// </summary>
public sealed class CrmOutboxTests
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private sealed class Setup : IAsyncDisposable
    {
        public required FakeCrm Crm { get; init; }
        public required TestDatabase Database { get; init; }
        public required TaskeeNode Node { get; init; }
        public required ManualClock Clock { get; init; }

        public HttpClient Admin => Node.Admin();

        public CrmOutbox Outbox => Node.Services.GetRequiredService<CrmOutbox>();

        public void Advance(TimeSpan by) => Clock.Set(Clock.GetUtcNow() + by);

        public async ValueTask DisposeAsync()
        {
            await Node.DisposeAsync();
            await Database.DisposeAsync();
            await Crm.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(string provider)
    {
        var crm = await FakeCrm.StartAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var database = await TestDatabase.CreateAsync();
        var node = await new TaskeeNode(database, new Dictionary<string, string?>
        {
            ["Leads:MinimumFillTime"] = "00:00:00",
            ["Leads:PerIpPerHour"] = "1000",
            ["Crm:Provider"] = provider,
            ["Crm:BaseUrl"] = provider == CrmOptions.Webhook ? $"{crm.Url}/hook" : crm.Url,
            ["Crm:Token"] = provider == CrmOptions.HubSpot ? FakeCrm.Token : null,
            ["Crm:WebhookSecret"] = provider == CrmOptions.Webhook ? Secret : null,
            // The job's own timer stays out of the way: the tests deliver when they mean to.
            ["Crm:DeliveryInterval"] = "01:00:00",
        }, clock).StartAsync();
        return new Setup { Crm = crm, Database = database, Node = node, Clock = clock };
    }

    [Fact]
    public async Task A_webhook_that_fails_is_retried_with_back_off_until_delivered_and_shows_its_error_meanwhile()
    {
        await using var s = await StartAsync(CrmOptions.Webhook);
        var id = await LeadForms.CreateAsync(s.Node.Client(null), LeadForms.Qualified());
        s.Crm.FailNext(2, 503, "/hook");

        Assert.Equal(1, await s.Outbox.DeliverDueAsync());
        var failed = (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!;
        Assert.Equal("retrying", failed["status"]!.GetValue<string>());
        Assert.Contains("503", failed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
        Assert.Equal(s.Clock.GetUtcNow().AddSeconds(10), failed["nextAttemptAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(5));

        Assert.Equal(0, await s.Outbox.DeliverDueAsync()); // not due yet
        s.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await s.Outbox.DeliverDueAsync());
        var again = (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!;
        Assert.Equal(s.Clock.GetUtcNow().AddSeconds(20), again["nextAttemptAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(5)); // doubled

        s.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(1, await s.Outbox.DeliverDueAsync());
        var synced = (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!;
        Assert.Equal("synced", synced["status"]!.GetValue<string>());
        Assert.Equal($"ext-{id}", synced["id"]!.GetValue<string>());
        Assert.Equal(0, synced["pending"]!.GetValue<int>());
        Assert.Null(synced["lastError"]);

        // Three attempts of one message: one webhook-id, so the receiver can drop repeats; each verifiable with the secret.
        var attempts = s.Crm.RequestsTo("/hook");
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Headers["webhook-id"]).Distinct());
        var last = attempts[^1];
        var verified = new TaskeeWebhookVerifier([Secret], time: s.Clock)
            .Verify(last.Headers["webhook-id"], last.Headers["webhook-timestamp"], last.Headers["webhook-signature"], last.Body);
        Assert.True(verified.IsValid, verified.Detail);
        Assert.Equal("lead.upserted", verified.Event!.Type);
        Assert.Equal(id, verified.Event.Data.GetProperty("leadId").GetString());
        Assert.Equal("anna@delinde.example.nl", verified.Event.Data.GetProperty("contact").GetProperty("email").GetString());

        var linked = Assert.Single(await PlatformAudit.EventsAboutAsync(s.Admin, $"leads/{id}"), e => e["action"]!.GetValue<string>() == "lead.crm.linked");
        Assert.Equal($"ext-{id}", linked["after"]!["crmId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_change_is_handed_off_with_the_latest_state_and_two_senders_never_send_one_row_twice()
    {
        await using var s = await StartAsync(CrmOptions.Webhook);
        var id = await LeadForms.CreateAsync(s.Node.Client(null), LeadForms.Unqualified());
        Assert.Equal(0, await s.Outbox.DeliverDueAsync()); // unqualified: nothing to hand off

        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "contacted" }))).StatusCode);
        var delivered = await Task.WhenAll(s.Outbox.DeliverDueAsync(), s.Outbox.DeliverDueAsync());

        Assert.Equal(1, delivered.Sum());
        var sent = Assert.Single(s.Crm.RequestsTo("/hook"));
        Assert.Contains("\"status\":\"contacted\"", sent.Body, StringComparison.Ordinal);
        Assert.Equal("synced", (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task HubSpot_gets_one_company_contact_and_deal_however_often_a_hand_off_is_retried()
    {
        await using var s = await StartAsync(CrmOptions.HubSpot);
        var id = await LeadForms.CreateAsync(s.Node.Client(null), LeadForms.Qualified());
        s.Crm.FailNext(1, 500, "/objects/deals/batch/upsert"); // after the company and the contact were written

        await s.Outbox.DeliverDueAsync();
        var failed = (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!;
        Assert.Equal("hubspot", failed["provider"]!.GetValue<string>());
        Assert.Contains("HubSpot upsert of deals answered 500", failed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        s.Advance(TimeSpan.FromSeconds(11));
        await s.Outbox.DeliverDueAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "proposal" }))).StatusCode);
        await s.Outbox.DeliverDueAsync();

        var company = Assert.Single(s.Crm.Objects("companies"));
        var contact = Assert.Single(s.Crm.Objects("contacts"));
        var deal = Assert.Single(s.Crm.Objects("deals"));
        Assert.Equal("Zorggroep De Linde", company.Properties["name"]!.GetValue<string>());
        Assert.Equal("anna@delinde.example.nl", contact.Properties["email"]!.GetValue<string>());
        Assert.Equal("Anna", contact.Properties["firstname"]!.GetValue<string>());
        Assert.Equal("contractsent", deal.Properties["dealstage"]!.GetValue<string>());
        Assert.Contains(id, deal.Properties["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"deals/{deal.Id}->companies/{company.Id}", s.Crm.Associations);
        Assert.Contains($"deals/{deal.Id}->contacts/{contact.Id}", s.Crm.Associations);
        Assert.Contains($"contacts/{contact.Id}->companies/{company.Id}", s.Crm.Associations);
        Assert.All(s.Crm.RequestsTo("/objects/deals/batch/upsert"), r => Assert.Contains($"\"id\":\"{id}\"", r.Body, StringComparison.Ordinal));

        var crm = (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!;
        Assert.Equal("synced", crm["status"]!.GetValue<string>());
        Assert.Equal(deal.Id, crm["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_later_hand_off_of_a_lead_waits_behind_its_failing_earlier_one()
    {
        await using var s = await StartAsync(CrmOptions.HubSpot);
        var id = await LeadForms.CreateAsync(s.Node.Client(null), LeadForms.Qualified());
        await s.Admin.PatchAsync($"/v1/leads/{id}", TestApi.Json(new { status = "contacted" }));
        s.Crm.FailNext(1, 429, "/objects/companies/");

        Assert.Equal(1, await s.Outbox.DeliverDueAsync()); // only the oldest was tried

        var crm = (await s.Admin.GetJsonAsync($"/v1/leads/{id}"))["crm"]!;
        Assert.Equal(2, crm["pending"]!.GetValue<int>());
        Assert.Equal("retrying", crm["status"]!.GetValue<string>());
        Assert.Empty(s.Crm.Objects("deals"));

        s.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(2, await s.Outbox.DeliverDueAsync());
        Assert.Equal("qualifiedtobuy", Assert.Single(s.Crm.Objects("deals")).Properties["dealstage"]!.GetValue<string>());
    }
}
