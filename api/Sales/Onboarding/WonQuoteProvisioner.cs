using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Taskee.Api.Infrastructure;
using Taskee.Api.Organisations;
using Taskee.Api.Plans;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Jobs;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Onboarding;

/// <summary>
/// Finishes what a won quote started (the quote's decision and the onboarding row are already committed together): the
/// custom plan, the organisation through its grain, the lead's stage <c>won</c>, then "provisioned". Every step is
/// idempotent (an equal plan is not written again, an organisation already created on this plan is ours, a won lead is
/// left), so a retry or two silos at once end with one plan and one organisation. The request that won the quote runs it;
/// the periodic job <c>onboarding-provisioning</c> finishes any a crash left half-way.
/// </summary>
public sealed class WonQuoteProvisioner(
    IOnboardingStore onboardings, IQuoteStore quotes, ILeadStore leads, ICatalogStore plans, CatalogCache catalog, OrganisationGrains grains,
    TimeProvider clock, ILogger<WonQuoteProvisioner> logger) : IPeriodicJob
{
    /// <summary>A request still provisioning is left alone this long before the job takes over.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    private const int BatchSize = 20;

    public string Name => "onboarding-provisioning";

    public TimeSpan Interval => TimeSpan.FromMinutes(1);

    public bool Enabled => true;

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var onboarding in await onboardings.ListUnprovisionedAsync(clock.GetUtcNow() - Grace, BatchSize, ct))
        {
            try
            {
                await ProvisionAsync(onboarding, new ChangeContext(AuditActor.System, null, null), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                OnboardingLog.ProvisioningFailed(logger, ex, onboarding.OrgId, onboarding.QuoteId);
            }
        }
    }

    /// <summary>True when the onboarding is fully provisioned; false when its organisation id belongs to someone else.</summary>
    public async Task<bool> ProvisionAsync(OnboardingRecord onboarding, ChangeContext context, CancellationToken ct)
    {
        if (onboarding.ProvisionedAt is not null) return true;
        var quote = await quotes.GetAsync(onboarding.QuoteId, ct) ?? throw new InvalidOperationException($"Quote {onboarding.QuoteId} of an onboarding is gone.");
        var lead = await leads.GetAsync(onboarding.LeadId, ct) ?? throw new InvalidOperationException($"Lead {onboarding.LeadId} of an onboarding is gone.");
        var name = lead.Answers.OrganisationName;

        var plan = CustomPlanFromQuote.Build(quote, name, catalog.Current.Plans.GetValueOrDefault(quote.Input.Plan));
        await plans.UpsertPlanAsync(plan, PlanEndpoints.Describe, context, ct);
        await catalog.ReloadAsync(ct);

        if (!await CreateOrganisationAsync(onboarding, name, context))
        {
            OnboardingLog.OrganisationIdClash(logger, onboarding.OrgId, onboarding.QuoteId);
            return false;
        }
        await MoveLeadToWonAsync(onboarding, ct, context);

        if (await onboardings.MarkProvisionedAsync(onboarding.OrgId, clock.GetUtcNow(), Started(onboarding, quote), context, ct))
            OnboardingLog.Provisioned(logger, onboarding.OrgId, onboarding.QuoteId);
        return true;
    }

    /// <summary>Creates the organisation; one that exists already on this onboarding's plan is the one an earlier attempt created.</summary>
    private async Task<bool> CreateOrganisationAsync(OnboardingRecord onboarding, string name, ChangeContext context)
    {
        var organisation = new Organisation(onboarding.OrgId, name, onboarding.PlanId, OrganisationStatus.Active,
            ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal), ImmutableSortedDictionary.Create<string, bool>(StringComparer.Ordinal),
            BillingAnchor: null, Version: 1, CreatedAt: default, UpdatedAt: default);
        var result = await grains.CreateAsync(organisation, OrganisationChanges.Created, context);
        if (result.Status == WriteStatus.Done) return true;
        return (await grains.FindAsync(onboarding.OrgId))?.PlanId == onboarding.PlanId;
    }

    private async Task MoveLeadToWonAsync(OnboardingRecord onboarding, CancellationToken ct, ChangeContext context)
    {
        // Sales may edit the lead meanwhile: re-read and apply on top, as PATCH /v1/leads does without If-Match.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var lead = (await leads.GetAsync(onboarding.LeadId, ct))!;
            if (lead.Status == LeadStatuses.Won) return;
            if (!LeadStatuses.CanMove(lead.Status, LeadStatuses.Won))
            {
                OnboardingLog.LeadNotMovable(logger, lead.Id, onboarding.QuoteId, lead.Status);
                return;
            }
            var update = new LeadUpdate(LeadStatuses.Won, lead.Owner, lead.Notes, StatusChanged: true, clock.GetUtcNow());
            if (await leads.UpdateAsync(lead.Id, lead.Version, update, LeadEndpoints.Audit(lead, update), context, ct)) return;
        }
        throw new InvalidOperationException($"Lead {onboarding.LeadId} kept changing while it was moved to won.");
    }

    private static AuditRecord Started(OnboardingRecord onboarding, QuoteRecord quote) => new("onboarding.started", $"organisations/{onboarding.OrgId}/onboarding",
        null, JsonSerializer.Serialize(new
        {
            organisationId = onboarding.OrgId, quoteId = quote.Id, quoteNumber = quote.Number, quoteVersion = quote.Version, leadId = onboarding.LeadId,
            planId = onboarding.PlanId, startedAt = onboarding.StartedAt, targetDays = OnboardingChecklist.TargetDays,
        }, AuditJsonOptions.Options));
}
