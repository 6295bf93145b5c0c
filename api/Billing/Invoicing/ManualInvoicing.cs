using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Taskee.Api.Billing.Stripe;

namespace Taskee.Api.Billing.Invoicing;

/// <summary>
/// Sends an invoice by hand for an enterprise deal: a draft <c>send_invoice</c> invoice, one invoice item per line
/// attached to it, then finalize and send. Every POST's Stripe idempotency key is derived from the organisation and the
/// caller's Idempotency-Key, so repeating a request (after a timeout, or a failure half-way) creates nothing twice.
/// </summary>
public sealed class ManualInvoicing(StripeClient stripe)
{
    public const int DefaultDaysUntilDue = 30;

    public async Task<InvoiceResponse> SendAsync(string orgId, string customerId, CreateInvoiceRequest request, string idempotencyKey, CancellationToken ct)
    {
        var keys = KeyPrefix(orgId, idempotencyKey);
        var lines = request.Lines!;
        var currency = lines[0].Currency!.ToLowerInvariant();
        var days = (request.DaysUntilDue ?? DefaultDaysUntilDue).ToString(CultureInfo.InvariantCulture);

        var draft = await stripe.PostAsync("v1/invoices",
        [
            new("customer", customerId),
            new("collection_method", "send_invoice"),
            new("days_until_due", days),
            new("currency", currency),
            new("auto_advance", "false"),
            new("pending_invoice_items_behavior", "exclude"),
            new("metadata[org_id]", orgId),
        ], $"{keys}-invoice", ct);
        var invoiceId = StripeJson.String(draft, "id") ?? throw new StripeApiException(null, "api_error", null, "Stripe created an invoice without an id.");

        for (var i = 0; i < lines.Count; i++)
        {
            await stripe.PostAsync("v1/invoiceitems",
            [
                new("customer", customerId),
                new("invoice", invoiceId),
                new("amount", lines[i].Amount!.Value.ToString(CultureInfo.InvariantCulture)),
                new("currency", currency),
                new("description", lines[i].Description!),
                new("metadata[org_id]", orgId),
            ], $"{keys}-item-{i}", ct);
        }

        await stripe.PostAsync($"v1/invoices/{invoiceId}/finalize", [new("auto_advance", "false")], $"{keys}-finalize", ct);
        var sent = await stripe.PostAsync($"v1/invoices/{invoiceId}/send", [], $"{keys}-send", ct);
        return Describe(sent, lines.Count);
    }

    private static InvoiceResponse Describe(JsonElement invoice, int lines) => new(
        StripeJson.String(invoice, "id") ?? "",
        StripeJson.String(invoice, "number"),
        StripeJson.String(invoice, "status") ?? "open",
        StripeJson.String(invoice, "currency") ?? "",
        StripeJson.Long(invoice, "amount_due") ?? 0,
        StripeJson.Time(invoice, "due_date"),
        StripeJson.String(invoice, "hosted_invoice_url"),
        lines);

    /// <summary>A stable, bounded prefix of the Stripe idempotency keys of one request.</summary>
    private static string KeyPrefix(string orgId, string idempotencyKey) =>
        "taskee-invoice-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{orgId}\n{idempotencyKey}")))[..40];
}
