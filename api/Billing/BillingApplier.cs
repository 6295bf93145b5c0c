using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Billing;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Billing;

/// <summary>The outcome of applying billing facts to an organisation.</summary>
/// <param name="Linked">The Stripe customer was linked to the organisation by this change.</param>
public sealed record BillingApplyResult(WriteStatus Status, Organisation? Organisation, bool Linked);

/// <summary>
/// Applies what Stripe said to an organisation: merges the facts, lets the state machine decide status, plan, anchor and
/// restricted features, and commits it through the organisation's grain (row, version and audit event
/// in one transaction; concurrent events of one organisation apply one after the other), so entitlements change at once.
/// </summary>
public sealed class BillingApplier(
    OrganisationGrains grains,
    CatalogCache catalog,
    IOptions<BillingOptions> options,
    TimeProvider clock,
    ILogger<BillingApplier> logger)
{
    /// <param name="linkCustomer">Links this Stripe customer when the organisation has none; a different one already linked is a conflict.</param>
    /// <param name="merge">Adds the new facts; null when they add nothing.</param>
    /// <param name="action">The audit action; derived from what changed when null.</param>
    public async Task<BillingApplyResult> ApplyAsync(string orgId, string? linkCustomer, Func<OrganisationBilling, OrganisationBilling?> merge,
        ChangeContext context, string? action = null, CancellationToken ct = default)
    {
        var conflict = false;
        var linked = false;
        var result = await grains.ChangeAsync(orgId, null, current =>
        {
            conflict = linked = false; // computed afresh when the change is retried on a newer version
            var facts = current.Billing ?? BillingFacts.Empty;
            if (linkCustomer is not null && facts.CustomerId != linkCustomer)
            {
                if (facts.CustomerId is not null)
                {
                    conflict = true;
                    return null;
                }
                facts = facts with { CustomerId = linkCustomer };
                linked = true;
            }
            var updated = Decide(current, merge(facts) ?? facts);
            return BillingChanges.Describe(current, updated, action ?? (linked ? "billing.linked" : null));
        }, context);

        if (conflict) return new BillingApplyResult(WriteStatus.Conflict, null, false);
        if (result.Status == WriteStatus.Done)
        {
            var organisation = result.Value!;
            if (organisation.Billing?.Subscription?.PriceId is { } price && PlanForPrice(price) is null)
                BillingLog.UnmappedPrice(logger, price, orgId);
        }
        return new BillingApplyResult(result.Status, result.Value, linked && result.Status == WriteStatus.Done);
    }

    /// <summary>The organisation as the state machine wants it now, given these facts.</summary>
    public Organisation Decide(Organisation current, OrganisationBilling facts) =>
        BillingStateMachine.Apply(current, facts, clock.GetUtcNow(), options.Value.ToPolicy(), PlanForPrice, planId => catalog.Current.Plans.ContainsKey(planId));

    /// <summary>The plan whose <c>stripePriceIds</c> lists the price, or null.</summary>
    public string? PlanForPrice(string priceId) =>
        catalog.Current.Plans.Values.Where(p => p.StripePriceIds.Contains(priceId)).Select(p => p.Id).Order(StringComparer.Ordinal).FirstOrDefault();
}
