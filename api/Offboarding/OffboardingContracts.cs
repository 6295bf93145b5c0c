using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Offboarding;

/// <summary>Starts offboarding; <paramref name="Confirm"/> must repeat the organisation id, since its data is deleted after the window.</summary>
public sealed record OffboardRequest(string? Confirm) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Confirm)) errors.Add("confirm", "confirm is required: the organisation's id, to confirm that its data is deleted after the offboarding window.");
    }
}

/// <summary>
/// An offboarding: <c>offboarding</c> while the export is offered at <see cref="Export"/> (until <see cref="DeleteAfter"/>),
/// then <c>deleted</c> with the final head of the organisation's audit chain.
/// </summary>
public sealed record OffboardingResponse(
    string OrgId, string Status, DateTimeOffset RequestedAt, DateTimeOffset DeleteAfter, string? Export,
    DateTimeOffset? DeletedAt = null, long? FinalSeq = null, string? FinalHeadHash = null)
{
    public const string Offboarding = "offboarding";
    public const string Deleted = "deleted";

    public static string ExportPath(string orgId) => $"/v1/organisations/{orgId}/offboard/export";

    public static OffboardingResponse From(string orgId, OrganisationOffboarding o) =>
        new(orgId, Offboarding, o.RequestedAt, o.DeleteAfter, ExportPath(orgId));

    public static OffboardingResponse From(OrganisationTombstone t) =>
        new(t.OrgId, Deleted, t.RequestedAt, t.DeletedAt, null, t.DeletedAt, t.FinalSeq, t.FinalHeadHash);
}
