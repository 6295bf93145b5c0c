using System.Collections.Immutable;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Organisations;

/// <summary>
/// The changes an admin can make to an organisation, as pure functions of its stored state.
/// Each returns null when nothing would change, so no version bump and no audit event.
/// </summary>
public static class OrganisationChanges
{
    public static OrganisationChange? Patch(Organisation current, PatchOrganisationRequest patch)
    {
        var updated = current with
        {
            Name = patch.Name ?? current.Name,
            PlanId = patch.Plan ?? current.PlanId,
            Status = patch.Status ?? current.Status,
            BillingAnchor = patch.BillingAnchor ?? current.BillingAnchor,
        };
        if (updated == current) return null;

        var action = (updated.Name != current.Name, updated.PlanId != current.PlanId, updated.Status != current.Status, updated.BillingAnchor != current.BillingAnchor) switch
        {
            (true, false, false, false) => "org.renamed",
            (false, true, false, false) => "org.plan.changed",
            (false, false, true, false) => "org.status.changed",
            (false, false, false, true) => "org.billing_anchor.changed",
            _ => "org.updated",
        };
        return Describe(current, updated, action, $"organisations/{current.Id}");
    }

    public static OrganisationChange? SetLimit(Organisation current, string metric, long? limit)
    {
        var overrides = limit is { } value ? current.LimitOverrides.SetItem(metric, value) : current.LimitOverrides.Remove(metric);
        if (overrides.SequenceEqual(current.LimitOverrides)) return null;
        return Describe(current, current with { LimitOverrides = overrides },
            limit is null ? "org.limit.reset" : "org.limit.set", $"organisations/{current.Id}/limits/{metric}");
    }

    public static OrganisationChange? SetFeature(Organisation current, string feature, bool? enabled)
    {
        var overrides = enabled is { } value ? current.FeatureOverrides.SetItem(feature, value) : current.FeatureOverrides.Remove(feature);
        if (overrides.SequenceEqual(current.FeatureOverrides)) return null;
        return Describe(current, current with { FeatureOverrides = overrides },
            enabled is null ? "org.feature.reset" : "org.feature.set", $"organisations/{current.Id}/features/{feature}");
    }

    public static Organisation New(CreateOrganisationRequest request) => new(
        request.Id!, request.Name!, request.Plan!, request.Status ?? OrganisationStatus.Active,
        ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, bool>(StringComparer.Ordinal),
        BillingAnchor: null, Version: 1, CreatedAt: default, UpdatedAt: default);

    public static AuditRecord Created(Organisation stored) =>
        new("org.created", $"organisations/{stored.Id}", null, OrganisationResponse.AuditJson(stored));

    private static OrganisationChange Describe(Organisation before, Organisation after, string action, string target) =>
        new(after, stored => new AuditRecord(action, target, OrganisationResponse.AuditJson(before), OrganisationResponse.AuditJson(stored)));
}
