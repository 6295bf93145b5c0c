using System.Text.Json;
using System.Text.RegularExpressions;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Billing;

public sealed record BillingSubscriptionView(
    string Id, string Status, string? PriceId, DateTimeOffset? CurrentPeriodStart, DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd, DateTimeOffset? CancelAt, DateTimeOffset? EndedAt);

public sealed record BillingInvoiceView(string Id, bool Settled, DateTimeOffset? PaidAt, DateTimeOffset? FailedAt, DateTimeOffset? RetriesExhaustedAt);

public sealed record BillingDisputeView(string Id, string Status, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt);

/// <summary>An organisation's billing state: what Stripe said and what billing made of it.</summary>
/// <param name="GraceEndsAt">When the organisation is suspended unless a payment arrives (status <c>grace</c>).</param>
/// <param name="NextChangeAt">When billing's decision next changes by time alone (grace ends, a cancelled period ends).</param>
public sealed record BillingResponse(
    string OrgId,
    string Plan,
    string Status,
    DateTimeOffset? BillingAnchor,
    string? StripeCustomerId,
    bool? Delinquent,
    BillingSubscriptionView? Subscription,
    IReadOnlyList<string> RestrictedFeatures,
    DateTimeOffset? GraceEndsAt,
    DateTimeOffset? NextChangeAt,
    IReadOnlyList<BillingInvoiceView> Invoices,
    IReadOnlyList<BillingDisputeView> Disputes,
    IReadOnlyList<string> ManualInvoices,
    long Version)
{
    public static BillingResponse From(Organisation o)
    {
        var b = o.Billing ?? BillingFacts.Empty;
        var s = b.Subscription;
        return new BillingResponse(
            o.Id, o.PlanId, o.Status, o.BillingAnchor, b.CustomerId, b.Customer?.Delinquent,
            s is null ? null : new BillingSubscriptionView(s.Id, s.Status, s.PriceId, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.CancelAtPeriodEnd, s.CancelAt, s.EndedAt),
            b.RestrictedFeatures,
            o.Status == OrganisationStatus.Grace ? b.DueAt : null,
            b.DueAt,
            b.Invoices.Select(i => new BillingInvoiceView(i.Id, i.Settled, i.PaidAt, i.FailedAt, i.RetriesExhaustedAt)).ToList(),
            b.Disputes.Select(d => new BillingDisputeView(d.Id, d.Status, d.OpenedAt, d.ClosedAt)).ToList(),
            b.ManualInvoices,
            o.Version);
    }

    /// <summary>The audit log's before/after form of an organisation's billing.</summary>
    public static string AuditJson(Organisation o) => JsonSerializer.Serialize(From(o), AuditJsonOptions.Options);
}

/// <summary>
/// Links an organisation to a Stripe customer: <c>{"stripeCustomerId":"cus_..."}</c>. The other fields of
/// <see cref="BillingResponse"/> are accepted so a billing state read with GET can be sent back: <c>orgId</c> must be the
/// organisation in the path; the rest is what billing derived from Stripe and is ignored (the plan and status change
/// through Stripe or <c>PATCH /v1/organisations/{orgId}</c>).
/// </summary>
public sealed partial record LinkBillingRequest(
    string? StripeCustomerId,
    string? OrgId = null,
    JsonElement? Plan = null,
    JsonElement? Status = null,
    JsonElement? BillingAnchor = null,
    JsonElement? Delinquent = null,
    JsonElement? Subscription = null,
    JsonElement? RestrictedFeatures = null,
    JsonElement? GraceEndsAt = null,
    JsonElement? NextChangeAt = null,
    JsonElement? Invoices = null,
    JsonElement? Disputes = null,
    JsonElement? ManualInvoices = null,
    JsonElement? Version = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (StripeCustomerId is null || !CustomerIdPattern().IsMatch(StripeCustomerId))
            errors.Add("stripeCustomerId", "stripeCustomerId is required: a Stripe customer id like 'cus_NffrFeUfNV2Hib'.");
    }

    [GeneratedRegex("^cus_[A-Za-z0-9]{1,250}$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomerIdPattern();
}

/// <summary>One line of a manual invoice; <c>amount</c> in the currency's smallest unit (cents).</summary>
public sealed record InvoiceLineRequest(string? Description, long? Amount, string? Currency);

/// <summary>A manual invoice for an enterprise deal: lines, and days the customer has to pay.</summary>
public sealed partial record CreateInvoiceRequest(List<InvoiceLineRequest>? Lines, int? DaysUntilDue) : IValidatable
{
    public const int MaxLines = 100;
    public const long MaxAmount = 99_999_999;

    public void Validate(ValidationErrors errors)
    {
        if (Lines is null || Lines.Count is 0 or > MaxLines)
        {
            errors.Add("lines", $"lines is required: 1 to {MaxLines} lines of {{description, amount, currency}}.");
        }
        else
        {
            for (var i = 0; i < Lines.Count; i++)
            {
                var line = Lines[i];
                if (line is null) { errors.Add($"lines[{i}]", "A line is an object {description, amount, currency}."); continue; }
                if (string.IsNullOrWhiteSpace(line.Description) || line.Description.Length > 500)
                    errors.Add($"lines[{i}].description", "description is required: 1 to 500 characters.");
                if (line.Amount is null or < 1 or > MaxAmount)
                    errors.Add($"lines[{i}].amount", $"amount is required: 1 to {MaxAmount} in the currency's smallest unit (cents).");
                if (line.Currency is null || !CurrencyPattern().IsMatch(line.Currency))
                    errors.Add($"lines[{i}].currency", "currency is required: a three-letter ISO code like 'eur'.");
            }
            if (Lines.Where(l => l?.Currency is not null).Select(l => l!.Currency!.ToLowerInvariant()).Distinct().Count() > 1)
                errors.Add("lines", "All lines of one invoice must have the same currency.");
        }
        if (DaysUntilDue is < 1 or > 365) errors.Add("daysUntilDue", "daysUntilDue must be between 1 and 365 (default 30).");
    }

    [GeneratedRegex("^[A-Za-z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();
}

/// <summary>The invoice as Stripe holds it after sending.</summary>
public sealed record InvoiceResponse(
    string Id, string? Number, string Status, string Currency, long AmountDue, DateTimeOffset? DueDate, string? HostedInvoiceUrl, int Lines);
