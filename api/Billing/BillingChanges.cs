using System.Text.Json;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing;

/// <summary>
/// Billing's changes to an organisation as <see cref="OrganisationChange"/>s: null when nothing differs (no version
/// bump, no audit event), else the new state with an audit record naming what changed most.
/// </summary>
public static class BillingChanges
{
    public const string Target = "billing";

    /// <summary>Describes <paramref name="after"/> as a change of <paramref name="before"/>; <paramref name="action"/> overrides the derived action.</summary>
    public static OrganisationChange? Describe(Organisation before, Organisation after, string? action = null)
    {
        if (Canonical(before) == Canonical(after)) return null;
        return new OrganisationChange(after, stored => new AuditRecord(action ?? ActionFor(before, after),
            $"organisations/{before.Id}/{Target}", BillingResponse.AuditJson(before), BillingResponse.AuditJson(stored)));
    }

    /// <summary>Records a manual invoice sent for the organisation.</summary>
    public static OrganisationChange? InvoiceSent(Organisation current, string invoiceId)
    {
        var facts = current.Billing ?? BillingFacts.Empty;
        if (facts.ManualInvoices.Contains(invoiceId)) return null;
        var updated = current with { Billing = facts with { ManualInvoices = facts.ManualInvoices.Prepend(invoiceId).Take(50).ToList() } };
        return Describe(current, updated, "billing.invoice.sent");
    }

    private static string ActionFor(Organisation before, Organisation after)
    {
        if (before.Status != after.Status) return "billing.status.changed";
        if (before.PlanId != after.PlanId) return "billing.plan.changed";
        var restrictedBefore = before.Billing?.RestrictedFeatures ?? [];
        var restrictedAfter = after.Billing?.RestrictedFeatures ?? [];
        if (!restrictedBefore.SequenceEqual(restrictedAfter))
            return restrictedAfter.Count > 0 ? "billing.features.restricted" : "billing.features.restored";
        if (before.Billing?.CustomerId != after.Billing?.CustomerId) return "billing.linked";
        if (before.BillingAnchor != after.BillingAnchor) return "billing.anchor.changed";
        return "billing.updated";
    }

    private static string Canonical(Organisation o) =>
        JsonSerializer.Serialize(new { o.Status, o.PlanId, o.BillingAnchor, o.Billing });
}
