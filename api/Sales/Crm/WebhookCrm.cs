using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Crm;

/// <summary>
/// Any CRM (or automation tool) behind a URL: the lead posted as a Standard Webhooks message (<c>webhook-id</c>,
/// <c>webhook-timestamp</c>, <c>webhook-signature</c>), signed by the StandardWebhooks package with <c>Crm:WebhookSecret</c>.
/// The <c>webhook-id</c> is the outbox row's id, the same on every retry, and the body carries the lead id: the receiver
/// upserts by it. The body has the shape of every Taskee webhook (<c>type</c>, <c>id</c>, <c>timestamp</c>, <c>data</c>), so the SDK's
/// verifier reads it too. A JSON answer with an <c>id</c> is taken as the CRM's id of the lead.
/// </summary>
public sealed class WebhookCrm(IHttpClientFactory http, IOptions<CrmOptions> options, TimeProvider clock) : ICrmAdapter
{
    public const string EventType = "lead.upserted";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Provider => CrmOptions.Webhook;

    public async Task<string?> UpsertAsync(LeadRecord lead, string deliveryId, CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var body = JsonSerializer.Serialize(new { type = EventType, id = deliveryId, timestamp = now, data = CrmLeadPayload.From(lead) }, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.BaseUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", deliveryId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(settings.WebhookSecret!).Sign(deliveryId, now, body));
        if (!string.IsNullOrWhiteSpace(settings.Token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);

        using var response = await http.CreateClient(CrmHttp.ClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw await CrmDeliveryException.FromAsync("The webhook receiver", response, ct);
        return await ReceiverIdAsync(response, ct);
    }

    private static async Task<string?> ReceiverIdAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return null;
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var answer = JsonDocument.Parse(text);
            return answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // the receiver accepted the lead (2xx) but said it in words: delivered, without an id of its own
        }
    }
}
