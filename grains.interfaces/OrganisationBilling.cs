namespace Taskee.Grains.Interfaces;

/// <summary>
/// What the control plane knows about an organisation's Stripe billing: the linked customer, the latest
/// subscription snapshot, recent invoices and disputes, and what billing last decided. Stored with the
/// organisation (one transaction with its version and audit event). Every fact carries the time it was
/// observed, so an older Stripe event never overwrites a newer one.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrganisationBilling")]
public sealed record OrganisationBilling
{
    /// <summary>The Stripe customer (<c>cus_...</c>) this organisation is linked to; unique across organisations.</summary>
    [Id(0)]
    public string? CustomerId { get; init; }

    [Id(1)]
    public BillingCustomer? Customer { get; init; }

    [Id(2)]
    public BillingSubscription? Subscription { get; init; }

    /// <summary>Recent invoices, newest first; unpaid ones are always kept.</summary>
    [Id(3)]
    public IReadOnlyList<BillingInvoice> Invoices { get; init; } = [];

    /// <summary>Recent disputes, newest first; open ones are always kept.</summary>
    [Id(4)]
    public IReadOnlyList<BillingDispute> Disputes { get; init; } = [];

    /// <summary>When the latest paid invoice was paid: a payment settles earlier failures and lost disputes.</summary>
    [Id(5)]
    public DateTimeOffset? LastPaidAt { get; init; }

    /// <summary>Since when the subscription is <c>unpaid</c> (Stripe gave up retrying), and the event that said so.</summary>
    [Id(6)]
    public DateTimeOffset? UnpaidSince { get; init; }

    [Id(7)]
    public string? UnpaidEventId { get; init; }

    /// <summary>What billing last decided for status, plan and anchor. A setting changes only when this decision changes.</summary>
    [Id(8)]
    public BillingDecision? Decided { get; init; }

    /// <summary>Features switched off by billing (an open dispute): off whatever the plan or an override says.</summary>
    [Id(9)]
    public IReadOnlyList<string> RestrictedFeatures { get; init; } = [];

    /// <summary>The next time billing's decision changes by time alone (grace ends, period ends), and the event that set it.</summary>
    [Id(10)]
    public DateTimeOffset? DueAt { get; init; }

    [Id(11)]
    public string? DueEventId { get; init; }

    /// <summary>Invoices created by hand for an enterprise deal (<c>in_...</c>), newest first.</summary>
    [Id(12)]
    public IReadOnlyList<string> ManualInvoices { get; init; } = [];
}

/// <summary>The Stripe customer as last seen.</summary>
[GenerateSerializer, Immutable]
[Alias("BillingCustomer")]
public sealed record BillingCustomer(string Id, string? Email, bool Delinquent, DateTimeOffset ObservedAt, string EventId);

/// <summary>
/// A Stripe subscription as last seen. <see cref="ObservedAt"/> is the <c>created</c> time of the event that carried
/// it (or the time it was read from Stripe); <see cref="Rank"/> orders events of the same second (created, updated, deleted).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("BillingSubscription")]
public sealed record BillingSubscription(
    string Id,
    string Status,
    string? PriceId,
    DateTimeOffset Created,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset ObservedAt,
    int Rank,
    string EventId);

/// <summary>
/// An invoice's payment history. Facts only accumulate (paid stays paid; the first failure time stays), so the same
/// events in any order give the same record.
/// </summary>
/// <param name="Settled">Paid or voided: it no longer counts against the organisation.</param>
/// <param name="RetriesExhaustedAt">When Stripe stopped retrying (a failure with no next attempt): grace starts.</param>
[GenerateSerializer, Immutable]
[Alias("BillingInvoice")]
public sealed record BillingInvoice(
    string Id,
    string? SubscriptionId,
    bool Settled,
    DateTimeOffset? PaidAt,
    DateTimeOffset? FailedAt,
    DateTimeOffset? RetriesExhaustedAt,
    string? FailedEventId,
    DateTimeOffset ObservedAt);

/// <summary>A dispute (chargeback) on one of the organisation's charges.</summary>
[GenerateSerializer, Immutable]
[Alias("BillingDispute")]
public sealed record BillingDispute(
    string Id,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset ObservedAt,
    string EventId);

/// <summary>Billing's decision: the status, plan and billing anchor the Stripe facts call for (null: no opinion).</summary>
[GenerateSerializer, Immutable]
[Alias("BillingDecision")]
public sealed record BillingDecision(string? Status, string? PlanId, DateTimeOffset? Anchor);
