using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Storage;

namespace Taskee.Api.Privacy;

/// <summary>
/// Data-subject requests of an organisation (issue 14 §3): filed here, run by <see cref="PrivacyRequestJob"/>, followed
/// by id. The person is resolved within the organisation in the path only, so no caller reaches another's members.
/// </summary>
public static class PrivacyRequestEndpoints
{
    public static void MapPrivacyRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/privacy/requests").WithTags("Privacy");
        group.MapPost("/", FileAsync).RequireAuthorization(Permissions.PrivacyWrite).Validates<FilePrivacyRequest>().WithName("FilePrivacyRequest");
        group.MapGet("/{requestId}", GetAsync).RequireAuthorization(Permissions.PrivacyRead).WithName("GetPrivacyRequest");
        group.MapGet("/{requestId}/bundle", BundleAsync).RequireAuthorization(Permissions.PrivacyRead).WithName("GetPrivacyAccessBundle");
        group.MapGet("/{requestId}/bundle/audit-events.csv", BundleCsvAsync).RequireAuthorization(Permissions.PrivacyRead).WithName("GetPrivacyAccessBundleAuditCsv");
    }

    public static async Task<Results<Accepted<PrivacyRequestAccepted>, ProblemHttpResult>> FileAsync(
        string orgId, FilePrivacyRequest body, IPrivacyRequestStore store, OrganisationGrains grains, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await grains.FindAsync(orgId, ct) is null) return Problems.OrganisationNotFound(orgId);
        var subject = body.Subject!;
        var memberId = subject switch
        {
            { MemberId: { } id } => await store.KnowsMemberAsync(orgId, id, ct) ? id : null,
            { Email: { } email } => await store.FindMemberIdByEmailAsync(orgId, email, ct),
            _ => await store.FindMemberIdByScimExternalIdAsync(orgId, subject.ScimExternalId!, ct),
        };
        // The value is the caller's own input: naming it back says nothing they did not send.
        if (memberId is null) return Problems.NotFound($"No member or SCIM user of '{orgId}' matches the subject given.");

        var now = clock.GetUtcNow();
        var request = new PrivacyRequest(PrivacyRequestIds.New(now), orgId, body.Kind!, memberId, await store.EmailsOfAsync(orgId, memberId, ct),
            PrivacyRequestKinds.Pending, now, now, null, null, null, null, null, null);
        // The event names the request, never the person: an erasure must not leave them in the chain in clear.
        await store.FileAsync(request, new AuditRecord("privacy.request.filed", $"organisations/{orgId}/privacy/requests/{request.Id}", null,
            JsonSerializer.Serialize(new { kind = request.Kind, status = request.Status })), http.ChangeContext(), ct);
        return TypedResults.Accepted($"/v1/organisations/{orgId}/privacy/requests/{request.Id}", new PrivacyRequestAccepted(request.Id, request.Status));
    }

    public static async Task<Results<Ok<PrivacyRequestResponse>, ProblemHttpResult>> GetAsync(
        string orgId, string requestId, IPrivacyRequestStore store, CancellationToken ct)
    {
        if (await store.GetAsync(orgId, requestId, ct) is not { } r) return NotFound(orgId, requestId);
        var links = r is { Kind: PrivacyRequestKinds.Access, Status: PrivacyRequestKinds.Completed }
            ? new AccessBundleLinks($"/v1/organisations/{orgId}/privacy/requests/{r.Id}/bundle", $"/v1/organisations/{orgId}/privacy/requests/{r.Id}/bundle/audit-events.csv")
            : null;
        var receipt = r.Status == PrivacyRequestKinds.Completed ? PrivacyReceipts.Read(r.Receipt) : null;
        return TypedResults.Ok(new PrivacyRequestResponse(r.Id, r.OrgId, r.Kind, r.Status, r.CreatedAt, r.CompletedAt, r.Error, links, receipt));
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> BundleAsync(
        string orgId, string requestId, IPrivacyRequestStore store, AccessBundleWriter bundles, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await CompletedAccessAsync(orgId, requestId, store, ct) is not { } request) return await WhyNoBundleAsync(orgId, requestId, store, ct);
        http.Response.ContentType = "application/json";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"privacy-access-{requestId}.json\"";
        http.Response.Headers.CacheControl = "no-store";
        await bundles.WriteJsonAsync(http.Response.Body, request, clock.GetUtcNow(), ct);
        return TypedResults.Empty;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> BundleCsvAsync(
        string orgId, string requestId, IPrivacyRequestStore store, AccessBundleWriter bundles, HttpContext http, CancellationToken ct)
    {
        if (await CompletedAccessAsync(orgId, requestId, store, ct) is not { } request) return await WhyNoBundleAsync(orgId, requestId, store, ct);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"privacy-access-{requestId}-audit-events.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        await bundles.WriteAuditCsvAsync(http.Response.Body, request, ct);
        return TypedResults.Empty;
    }

    private static async Task<PrivacyRequest?> CompletedAccessAsync(string orgId, string requestId, IPrivacyRequestStore store, CancellationToken ct) =>
        await store.GetAsync(orgId, requestId, ct) is { Kind: PrivacyRequestKinds.Access, Status: PrivacyRequestKinds.Completed, MemberId: not null } r ? r : null;

    private static async Task<ProblemHttpResult> WhyNoBundleAsync(string orgId, string requestId, IPrivacyRequestStore store, CancellationToken ct) =>
        await store.GetAsync(orgId, requestId, ct) switch
        {
            null => NotFound(orgId, requestId),
            { Kind: PrivacyRequestKinds.Erasure } => Problems.NotFound($"Request '{requestId}' is an erasure: it has a receipt (GET .../privacy/requests/{requestId}), no bundle."),
            { Status: var status } => Problems.Conflict($"Request '{requestId}' is {status}; its bundle is ready once it is completed."),
        };

    private static ProblemHttpResult NotFound(string orgId, string requestId) =>
        Problems.NotFound($"Privacy request '{requestId}' was not found in '{orgId}'.");
}

/// <summary>Request ids: <c>dsr_</c> and a ULID, so they sort by filing time.</summary>
public static class PrivacyRequestIds
{
    public const string Prefix = "dsr_";

    public static string New(DateTimeOffset now) => Prefix + Ulid.NewUlid(now);
}
