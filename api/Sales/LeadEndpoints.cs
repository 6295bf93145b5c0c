using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Api.Sales.Crm;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales;

/// <summary>Sales' side of the leads: list, read and move them through the stages. Platform roles only (support reads).</summary>
public static class LeadEndpoints
{
    public const int MaxPageSize = 200;

    public static void MapLeadEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/leads").WithTags("Sales leads");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.LeadsRead).WithName("ListLeads");
        group.MapGet("/{leadId}", GetAsync).RequireAuthorization(Permissions.LeadsRead).WithName("GetLead");
        group.MapPatch("/{leadId}", UpdateAsync).RequireAuthorization(Permissions.LeadsWrite).Validates<UpdateLeadRequest>()
            .WithMetadata(new IdempotentMutationAttribute()).WithName("UpdateLead");
    }

    public static async Task<Results<Ok<LeadList>, ValidationProblem>> ListAsync(
        ILeadStore leads, IOptions<CrmOptions> crm, TimeProvider clock, CancellationToken ct, string? status = null, string? before = null, int limit = 50)
    {
        if (status is not null && !LeadStatuses.All.Contains(status))
            return Problems.Validation("status", $"Unknown status '{status}'; use {string.Join(", ", LeadStatuses.All)}.");
        if (limit is < 1 or > MaxPageSize) return Problems.Validation("limit", $"limit must be between 1 and {MaxPageSize}.");
        var page = await leads.ListAsync(status, before, limit, ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new LeadList(page.Select(l => LeadResponse.From(l, crm.Value.Provider, now)).ToList(),
            page.Count == limit ? page[^1].Id : null));
    }

    public static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> GetAsync(
        string leadId, ILeadStore leads, IOptions<CrmOptions> crm, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await leads.GetAsync(leadId, ct) is not { } lead) return LeadNotFound(leadId);
        ETags.Set(http, ETags.Format(lead.Version));
        return TypedResults.Ok(LeadResponse.From(lead, crm.Value.Provider, clock.GetUtcNow()));
    }

    /// <summary>Changes status, owner or notes; a status change starts the next stage and hands the lead to the CRM again.</summary>
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string leadId, UpdateLeadRequest request, ILeadStore leads, IOptions<CrmOptions> crm, TimeProvider clock, ILoggerFactory logs,
        HttpContext http, CancellationToken ct)
    {
        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return Problems.Validation("If-Match", "If-Match must be a quoted entity tag from an earlier response, like \"3\" (with the quotes).");

        // Without If-Match a change made meanwhile is re-read and the request applied on top of it; with it, 412.
        for (var attempt = 0; ; attempt++)
        {
            if (await leads.GetAsync(leadId, ct) is not { } lead) return LeadNotFound(leadId);
            if (expectedVersion is { } expected && expected != lead.Version) return Problems.PreconditionFailed(lead.Version);

            var status = request.Status ?? lead.Status;
            var statusChanged = status != lead.Status;
            if (statusChanged && !LeadStatuses.CanMove(lead.Status, status))
                return Problems.Conflict(LeadStatuses.IsFinal(lead.Status)
                    ? $"Lead '{leadId}' is {lead.Status}, which is final; its status cannot change."
                    : $"Lead '{leadId}' is {lead.Status}; it can move to {string.Join(", ", LeadStatuses.NextOf(lead.Status))}, not back to {status}.");
            var owner = request.Owner is null ? lead.Owner : Cleared(request.Owner);
            var notes = request.Notes is null ? lead.Notes : Cleared(request.Notes);
            if (!statusChanged && owner == lead.Owner && notes == lead.Notes)
            {
                ETags.Set(http, ETags.Format(lead.Version)); // nothing changes: nothing written, nothing audited
                return TypedResults.Ok(LeadResponse.From(lead, crm.Value.Provider, clock.GetUtcNow()));
            }
            var now = clock.GetUtcNow();
            var update = new LeadUpdate(status, owner, notes, statusChanged, now);
            if (await leads.UpdateAsync(leadId, lead.Version, update, Audit(lead, update), http.ChangeContext(), ct))
            {
                if (statusChanged) SalesLog.LeadMoved(logs.CreateLogger(typeof(LeadEndpoints).FullName!), leadId, lead.Status, status);
                var saved = await leads.GetAsync(leadId, ct);
                ETags.Set(http, ETags.Format(saved!.Version));
                return TypedResults.Ok(LeadResponse.From(saved, crm.Value.Provider, clock.GetUtcNow()));
            }
            // Changed between the read and the write: with If-Match the next read answers 412; without, it is applied on top.
            if (attempt == 2) return Problems.Conflict($"Lead '{leadId}' keeps changing while this request is applied; read it again and retry.");
        }
    }

    private static string? Cleared(string value) => value.Trim() is { Length: > 0 } kept ? kept : null;

    /// <summary>Status before and after; owner and notes only as "changed" (they may name people), per the audit's personal-data rule.</summary>
    internal static AuditRecord Audit(LeadRecord lead, LeadUpdate update) => new("lead.updated", $"leads/{lead.Id}",
        JsonSerializer.Serialize(new { status = lead.Status, version = lead.Version }, AuditJsonOptions.Options),
        JsonSerializer.Serialize(new
        {
            status = update.Status, version = lead.Version + 1,
            ownerChanged = update.Owner != lead.Owner, notesChanged = update.Notes != lead.Notes,
        }, AuditJsonOptions.Options));

    private static ProblemHttpResult LeadNotFound(string leadId) => Problems.NotFound($"Lead '{leadId}' was not found.");
}
