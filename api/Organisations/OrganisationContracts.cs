using System.Text.Json;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Organisations;

public sealed record OrganisationResponse(
    string Id,
    string Name,
    string Plan,
    string Status,
    IReadOnlyDictionary<string, long> LimitOverrides,
    IReadOnlyDictionary<string, bool> FeatureOverrides,
    DateTimeOffset? BillingAnchor,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static OrganisationResponse From(Organisation o) => new(
        o.Id, o.Name, o.PlanId, o.Status, o.LimitOverrides, o.FeatureOverrides, o.BillingAnchor, o.Version, o.CreatedAt, o.UpdatedAt);

    /// <summary>The audit log's before/after form of an organisation.</summary>
    public static string AuditJson(Organisation o) => JsonSerializer.Serialize(From(o), AuditJsonOptions.Options);
}

public sealed record OrganisationPage(IReadOnlyList<OrganisationResponse> Items, string? Next);

public sealed record CreateOrganisationRequest(string? Id, string? Name, string? Plan, string? Status) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (!OrganisationId.IsValid(Id))
            errors.Add("id", "id must be a slug: 3 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit.");
        OrganisationFields.ValidateName(Name, required: true, errors);
        if (string.IsNullOrWhiteSpace(Plan)) errors.Add("plan", "plan is required: one of the ids from GET /v1/plans.");
        OrganisationFields.ValidateStatus(Status, errors);
    }
}

/// <summary>A partial update: absent (or null) fields stay as they are.</summary>
public sealed record PatchOrganisationRequest(string? Name, string? Plan, string? Status, DateTimeOffset? BillingAnchor) : IValidatable
{
    public bool ChangesCommercialTerms => Plan is not null || Status is not null || BillingAnchor is not null;

    public void Validate(ValidationErrors errors)
    {
        if (Name is null && Plan is null && Status is null && BillingAnchor is null)
            errors.Add("body", "Give at least one of name, plan, status, billingAnchor.");
        OrganisationFields.ValidateName(Name, required: false, errors);
        if (Plan is not null && string.IsNullOrWhiteSpace(Plan)) errors.Add("plan", "plan must not be empty.");
        OrganisationFields.ValidateStatus(Status, errors);
    }
}

public sealed record SetLimitRequest(long? Limit) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Limit is null) errors.Add("limit", "limit is required.");
        else if (Limit is < 0 or > Metrics.MaxLimit) errors.Add("limit", $"limit must be between 0 and {Metrics.MaxLimit}.");
    }
}

/// <summary>An organisation's override of one feature.</summary>
/// <param name="Reason">Read-only, accepted so the answer of <c>GET .../features/{feature}</c> can be sent back: ignored
/// (the reason of an override is always <c>override</c>).</param>
public sealed record SetFeatureRequest(bool? Enabled, string? Reason = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Enabled is null) errors.Add("enabled", "enabled is required: true or false.");
    }
}

/// <summary>Live usage of one metric, as this node sees it.</summary>
public sealed record MetricUsage(long Used, long Remaining, long Limit, DateTimeOffset? ResetsAt);

public sealed record EntitlementsResponse(
    string OrgId,
    string Plan,
    string Status,
    IReadOnlyDictionary<string, LimitEntitlement> Limits,
    IReadOnlyDictionary<string, FeatureEntitlement> Features,
    IReadOnlyDictionary<string, MetricUsage> Usage,
    long Version);

internal static class OrganisationFields
{
    public const int MaxNameLength = 200;

    public static void ValidateName(string? name, bool required, ValidationErrors errors)
    {
        if (name is null)
        {
            if (required) errors.Add("name", "name is required.");
            return;
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
            errors.Add("name", $"name must be 1 to {MaxNameLength} characters and not blank.");
    }

    public static void ValidateStatus(string? status, ValidationErrors errors)
    {
        if (status is not null && !OrganisationStatus.IsKnown(status))
            errors.Add("status", $"status must be one of: {string.Join(", ", OrganisationStatus.All)}.");
    }
}
