using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Crm;

/// <summary>
/// HubSpot through its public CRM REST API (v3 objects, v4 associations), over plain HTTP (ADR 0012): a company and a deal
/// upserted by the custom unique property <c>taskee_lead_id</c>, the contact by e-mail (HubSpot's own key for contacts),
/// and the three associated. Every call is an upsert or a PUT, so a retried hand-off updates what the first created.
/// </summary>
public sealed class HubSpotCrm(IHttpClientFactory http, IOptions<CrmOptions> options) : ICrmAdapter
{
    /// <summary>The custom property (unique value) on companies and deals that holds the lead id; docs/sales.md says how to add it.</summary>
    public const string LeadIdProperty = "taskee_lead_id";

    /// <summary>Stages of HubSpot's default sales pipeline, per lead status.</summary>
    public static readonly IReadOnlyDictionary<string, string> DealStages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [LeadStatuses.New] = "appointmentscheduled",
        [LeadStatuses.Contacted] = "qualifiedtobuy",
        [LeadStatuses.Proposal] = "contractsent",
        [LeadStatuses.Won] = "closedwon",
        [LeadStatuses.Lost] = "closedlost",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Provider => CrmOptions.HubSpot;

    public async Task<string?> UpsertAsync(LeadRecord lead, string deliveryId, CancellationToken ct)
    {
        var client = http.CreateClient(CrmHttp.ClientName);
        var a = lead.Answers;
        var companyId = await UpsertObjectAsync(client, "companies", LeadIdProperty, lead.Id, new()
        {
            ["name"] = a.OrganisationName,
            ["numberofemployees"] = a.Users.ToString(CultureInfo.InvariantCulture),
            ["description"] = $"Sector: {a.Sector}",
        }, ct);
        var (first, last) = SplitName(lead.Contact.Name);
        var contactId = await UpsertObjectAsync(client, "contacts", "email", lead.Contact.Email, new()
        {
            ["email"] = lead.Contact.Email,
            ["firstname"] = first,
            ["lastname"] = last,
            ["phone"] = lead.Contact.Phone ?? "",
            ["company"] = a.OrganisationName,
        }, ct);
        var dealId = await UpsertObjectAsync(client, "deals", LeadIdProperty, lead.Id, new()
        {
            ["dealname"] = $"{a.OrganisationName} – Taskee Enterprise",
            ["pipeline"] = "default",
            ["dealstage"] = DealStages[lead.Status],
            ["description"] = Describe(lead),
        }, ct);
        await AssociateAsync(client, "deals", dealId, "companies", companyId, ct);
        await AssociateAsync(client, "deals", dealId, "contacts", contactId, ct);
        await AssociateAsync(client, "contacts", contactId, "companies", companyId, ct);
        return dealId;
    }

    private async Task<string> UpsertObjectAsync(HttpClient client, string objectType, string idProperty, string id,
        Dictionary<string, string> properties, CancellationToken ct)
    {
        var call = $"HubSpot upsert of {objectType}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"crm/v3/objects/{objectType}/batch/upsert")
        {
            Content = JsonContent.Create(new BatchUpsert([new UpsertInput(idProperty, id, properties)]), options: Json),
        };
        using var response = await SendAsync(client, request, ct);
        if (!response.IsSuccessStatusCode) throw await CrmDeliveryException.FromAsync(call, response, ct);
        var answer = await response.Content.ReadFromJsonAsync<BatchResult>(Json, ct);
        return answer?.Results is [{ Id: { Length: > 0 } objectId }, ..]
            ? objectId
            : throw new CrmDeliveryException($"{call} answered {(int)response.StatusCode} without the object's id.");
    }

    private async Task AssociateAsync(HttpClient client, string fromType, string fromId, string toType, string toId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}");
        using var response = await SendAsync(client, request, ct);
        if (!response.IsSuccessStatusCode) throw await CrmDeliveryException.FromAsync($"HubSpot association of {fromType} with {toType}", response, ct);
    }

    private Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Token);
        return client.SendAsync(request, ct);
    }

    private static (string First, string Last) SplitName(string name)
    {
        var space = name.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (name, "") : (name[..space], name[(space + 1)..]);
    }

    /// <summary>The intake answers, readable in the deal: HubSpot has no standard properties for them.</summary>
    private static string Describe(LeadRecord lead)
    {
        var a = lead.Answers;
        string Yes(bool b) => b ? "yes" : "no";
        return string.Join('\n',
            $"Taskee lead {lead.Id} ({(lead.Qualification.Qualified ? "qualified" : "not qualified")}, score {lead.Qualification.Score}: {string.Join(", ", lead.Qualification.Reasons)})",
            $"Sector: {a.Sector}; users: {a.Users}",
            $"Compliance: {string.Join(", ", a.Compliance)}; tooling: {string.Join(", ", a.Tooling)}",
            $"SSO: {Yes(a.NeedsSso)}; SCIM: {Yes(a.NeedsScim)}; SLA: {Yes(a.NeedsSla)}; private hosting: {Yes(a.PrivateHosting)}",
            $"Integrations: {a.Integrations ?? "-"}",
            $"Language: {lead.Language}; consent {lead.Consent.Version} given {lead.Consent.GivenAt:yyyy-MM-dd HH:mm} UTC");
    }

    private sealed record BatchUpsert(IReadOnlyList<UpsertInput> Inputs);

    private sealed record UpsertInput(string IdProperty, string Id, Dictionary<string, string> Properties);

    private sealed record BatchResult([property: JsonPropertyName("results")] IReadOnlyList<ObjectResult>? Results);

    private sealed record ObjectResult([property: JsonPropertyName("id")] string? Id);
}
