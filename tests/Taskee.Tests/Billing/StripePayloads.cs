using System.Text.Json.Nodes;

namespace Taskee.Tests.Billing;

/// <summary>
/// Stripe objects and events shaped like Stripe's own (API version 2024-06-20, and the 2025 "basil" shape where the
/// period moved to subscription items and an invoice's subscription to <c>parent.subscription_details</c>).
/// </summary>
public sealed class StripePayloads(string prefix)
{
    public const string ApiVersion = "2024-06-20";
    public const string BasilApiVersion = "2025-03-31.basil";

    private int _events;

    public string CustomerId => $"cus_{prefix}";
    public string SubscriptionId => $"sub_{prefix}";

    public static long Unix(DateTimeOffset t) => t.ToUnixTimeSeconds();

    /// <summary>An event envelope around <paramref name="obj"/>, created at <paramref name="created"/>.</summary>
    public JsonObject Event(string type, DateTimeOffset created, JsonObject obj, JsonObject? previousAttributes = null, string? id = null,
        string apiVersion = ApiVersion)
    {
        var data = new JsonObject { ["object"] = obj };
        if (previousAttributes is not null) data["previous_attributes"] = previousAttributes;
        return new JsonObject
        {
            ["id"] = id ?? $"evt_{prefix}_{++_events:D3}",
            ["object"] = "event",
            ["api_version"] = apiVersion,
            ["created"] = Unix(created),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = $"req_{prefix}{_events}", ["idempotency_key"] = null },
            ["type"] = type,
        };
    }

    public JsonObject Subscription(string status, string priceId, DateTimeOffset created, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        bool cancelAtPeriodEnd = false, DateTimeOffset? endedAt = null, string? orgIdMetadata = null, bool basil = false, string? subscriptionId = null,
        string? customerId = null, DateTimeOffset? trialEnd = null)
    {
        var id = subscriptionId ?? SubscriptionId;
        var item = new JsonObject
        {
            ["id"] = $"si_{prefix}",
            ["object"] = "subscription_item",
            ["created"] = Unix(created),
            ["metadata"] = new JsonObject(),
            ["price"] = new JsonObject
            {
                ["id"] = priceId,
                ["object"] = "price",
                ["active"] = true,
                ["billing_scheme"] = "per_unit",
                ["currency"] = "eur",
                ["product"] = $"prod_{prefix}",
                ["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = "licensed" },
                ["type"] = "recurring",
                ["unit_amount"] = 4900,
            },
            ["quantity"] = 1,
            ["subscription"] = id,
        };
        var subscription = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["application"] = null,
            ["billing_cycle_anchor"] = Unix(periodStart),
            ["cancel_at"] = cancelAtPeriodEnd ? Unix(periodEnd) : null,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["canceled_at"] = cancelAtPeriodEnd || endedAt is not null ? Unix(endedAt ?? periodStart) : null,
            ["collection_method"] = "charge_automatically",
            ["created"] = Unix(created),
            ["currency"] = "eur",
            ["customer"] = customerId ?? CustomerId,
            ["default_payment_method"] = $"pm_{prefix}",
            ["ended_at"] = endedAt is { } e ? Unix(e) : null,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(item),
                ["has_more"] = false,
                ["total_count"] = 1,
                ["url"] = $"/v1/subscription_items?subscription={id}",
            },
            ["latest_invoice"] = $"in_{prefix}_latest",
            ["livemode"] = false,
            ["metadata"] = orgIdMetadata is null ? new JsonObject() : new JsonObject { ["org_id"] = orgIdMetadata },
            ["status"] = status,
            ["trial_end"] = trialEnd is { } t ? Unix(t) : null,
            ["trial_start"] = trialEnd is null ? null : Unix(created),
        };
        if (basil)
        {
            item["current_period_start"] = Unix(periodStart);
            item["current_period_end"] = Unix(periodEnd);
        }
        else
        {
            subscription["current_period_start"] = Unix(periodStart);
            subscription["current_period_end"] = Unix(periodEnd);
        }
        return subscription;
    }

    /// <summary>An invoice of the subscription: open after a failed attempt, or paid.</summary>
    public JsonObject Invoice(string invoiceId, DateTimeOffset created, DateTimeOffset periodStart, DateTimeOffset periodEnd, bool paid,
        int attemptCount = 1, DateTimeOffset? nextPaymentAttempt = null, DateTimeOffset? paidAt = null, string? chargeId = null, bool basil = false,
        string? priceId = null)
    {
        var invoice = new JsonObject
        {
            ["id"] = invoiceId,
            ["object"] = "invoice",
            ["account_country"] = "NL",
            ["amount_due"] = 4900,
            ["amount_paid"] = paid ? 4900 : 0,
            ["amount_remaining"] = paid ? 0 : 4900,
            ["attempt_count"] = attemptCount,
            ["attempted"] = true,
            ["auto_advance"] = !paid,
            ["billing_reason"] = "subscription_cycle",
            ["collection_method"] = "charge_automatically",
            ["created"] = Unix(created),
            ["currency"] = "eur",
            ["customer"] = CustomerId,
            ["customer_email"] = $"billing@{prefix}.example",
            ["hosted_invoice_url"] = $"https://invoice.stripe.com/i/acct_test/{invoiceId}",
            ["lines"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = $"il_{invoiceId}",
                    ["object"] = "line_item",
                    ["amount"] = 4900,
                    ["currency"] = "eur",
                    ["period"] = new JsonObject { ["start"] = Unix(periodStart), ["end"] = Unix(periodEnd) },
                    ["price"] = priceId is null ? null : new JsonObject { ["id"] = priceId, ["object"] = "price" },
                    ["type"] = "subscription",
                }),
                ["has_more"] = false,
                ["total_count"] = 1,
            },
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_payment_attempt"] = nextPaymentAttempt is { } n ? Unix(n) : null,
            ["number"] = $"{prefix.ToUpperInvariant()}-{invoiceId[^4..]}",
            ["period_end"] = Unix(periodEnd),
            ["period_start"] = Unix(periodStart),
            ["status"] = paid ? "paid" : "open",
            ["status_transitions"] = new JsonObject
            {
                ["finalized_at"] = Unix(created),
                ["marked_uncollectible_at"] = null,
                ["paid_at"] = paid ? Unix(paidAt ?? created) : null,
                ["voided_at"] = null,
            },
            ["total"] = 4900,
        };
        if (basil)
        {
            invoice["parent"] = new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = SubscriptionId },
                ["type"] = "subscription_details",
            };
        }
        else
        {
            invoice["subscription"] = SubscriptionId;
            invoice["paid"] = paid;
            invoice["charge"] = chargeId;
            invoice["payment_intent"] = chargeId is null ? null : $"pi_{chargeId[3..]}";
        }
        return invoice;
    }

    public JsonObject Dispute(string disputeId, string chargeId, string status, DateTimeOffset created) => new()
    {
        ["id"] = disputeId,
        ["object"] = "dispute",
        ["amount"] = 4900,
        ["balance_transactions"] = new JsonArray(),
        ["charge"] = chargeId,
        ["created"] = Unix(created),
        ["currency"] = "eur",
        ["evidence"] = new JsonObject { ["customer_email_address"] = null, ["product_description"] = null, ["uncategorized_text"] = null },
        ["evidence_details"] = new JsonObject
        {
            ["due_by"] = Unix(created.AddDays(7)),
            ["has_evidence"] = false,
            ["past_due"] = false,
            ["submission_count"] = 0,
        },
        ["is_charge_refundable"] = false,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["payment_intent"] = $"pi_{chargeId[3..]}",
        ["reason"] = "fraudulent",
        ["status"] = status,
    };

    public JsonObject CheckoutSession(string orgId, DateTimeOffset created, bool withCustomer = true) => new()
    {
        ["id"] = $"cs_test_{prefix}",
        ["object"] = "checkout.session",
        ["amount_subtotal"] = 4900,
        ["amount_total"] = 4900,
        ["client_reference_id"] = orgId,
        ["created"] = Unix(created),
        ["currency"] = "eur",
        ["customer"] = withCustomer ? CustomerId : null,
        ["customer_details"] = new JsonObject { ["email"] = $"billing@{prefix}.example", ["name"] = "Acme" },
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["mode"] = "subscription",
        ["payment_status"] = "paid",
        ["status"] = "complete",
        ["subscription"] = SubscriptionId,
        ["success_url"] = "https://taskee.example/billing/done",
    };

    public JsonObject Customer(DateTimeOffset created, bool delinquent = false, string? orgIdMetadata = null) => new()
    {
        ["id"] = CustomerId,
        ["object"] = "customer",
        ["balance"] = 0,
        ["created"] = Unix(created),
        ["delinquent"] = delinquent,
        ["email"] = $"billing@{prefix}.example",
        ["livemode"] = false,
        ["metadata"] = orgIdMetadata is null ? new JsonObject() : new JsonObject { ["org_id"] = orgIdMetadata },
        ["name"] = "Acme",
    };
}
