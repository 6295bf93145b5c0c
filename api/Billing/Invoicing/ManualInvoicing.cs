using System.Security.Cryptography;
using System.Text;
using Stripe;
using Taskee.Api.Billing.Stripe;

namespace Taskee.Api.Billing.Invoicing;

/// <summary>
/// Sends an invoice by hand for an enterprise deal: a draft <c>send_invoice</c> invoice, one invoice item per line
/// attached to it, then finalize and send. Every POST's Stripe idempotency key is derived from the organisation and the
/// caller's Idempotency-Key, so repeating a request (after a timeout, or a failure half-way) creates nothing twice.
/// </summary>
public sealed class ManualInvoicing(StripeApi stripe)
{
    public const int DefaultDaysUntilDue = 30;

    public async Task<InvoiceResponse> SendAsync(string orgId, string customerId, CreateInvoiceRequest request, string idempotencyKey, CancellationToken ct)
    {
        var keys = KeyPrefix(orgId, idempotencyKey);
        var lines = request.Lines!;
        var currency = lines[0].Currency!.ToLowerInvariant();
        var metadata = new Dictionary<string, string> { [StripeOwner.OrgIdMetadataKey] = orgId };
        var invoices = stripe.Invoices;

        var draft = await invoices.CreateAsync(new InvoiceCreateOptions
        {
            Customer = customerId,
            CollectionMethod = "send_invoice",
            DaysUntilDue = request.DaysUntilDue ?? DefaultDaysUntilDue,
            Currency = currency,
            AutoAdvance = false,
            PendingInvoiceItemsBehavior = "exclude",
            Metadata = metadata,
        }, Key($"{keys}-invoice"), ct);

        var items = stripe.InvoiceItems;
        for (var i = 0; i < lines.Count; i++)
        {
            await items.CreateAsync(new InvoiceItemCreateOptions
            {
                Customer = customerId,
                Invoice = draft.Id,
                Amount = lines[i].Amount!.Value,
                Currency = currency,
                Description = lines[i].Description!,
                Metadata = metadata,
            }, Key($"{keys}-item-{i}"), ct);
        }

        await invoices.FinalizeInvoiceAsync(draft.Id, new InvoiceFinalizeOptions { AutoAdvance = false }, Key($"{keys}-finalize"), ct);
        var sent = await invoices.SendInvoiceAsync(draft.Id, new InvoiceSendOptions(), Key($"{keys}-send"), ct);
        return Describe(sent, lines.Count);
    }

    private static InvoiceResponse Describe(Invoice invoice, int lines) => new(
        invoice.Id,
        invoice.Number,
        invoice.Status ?? "open",
        invoice.Currency ?? "",
        invoice.AmountDue,
        invoice.DueDate is { } due ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) : null,
        invoice.HostedInvoiceUrl,
        lines);

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    /// <summary>A stable, bounded prefix of the Stripe idempotency keys of one request.</summary>
    private static string KeyPrefix(string orgId, string idempotencyKey) =>
        "taskee-invoice-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{orgId}\n{idempotencyKey}")))[..40];
}
