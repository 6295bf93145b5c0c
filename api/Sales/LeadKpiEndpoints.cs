using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales;

public sealed record LeadKpiResponse(TimeToContract TimeToContract, LeadsThisQuarter LeadsThisQuarter);

/// <summary>
/// <c>GET /v1/leads/kpis</c>: the figures a sales dashboard shows against the proposal's KPIs: time to contract of the won
/// leads (target under 45 days) and the quarter's enterprise leads (target 3 qualified). Platform roles, as the leads.
/// </summary>
public static class LeadKpiEndpoints
{
    private const int PageSize = 200;

    public static void MapLeadKpiEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1/leads").WithTags("Sales leads")
            .MapGet("/kpis", GetAsync).RequireAuthorization(Permissions.LeadsRead).WithName("GetLeadKpis");

    public static async Task<Ok<LeadKpiResponse>> GetAsync(ILeadStore leads, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var won = await AllAsync(leads, LeadStatuses.Won, _ => true, ct);
        // Newest first: the quarter's leads are a prefix of the list.
        var since = SalesKpis.QuarterStart(now);
        var recent = await AllAsync(leads, null, l => l.CreatedAt >= since, ct);
        return TypedResults.Ok(new LeadKpiResponse(SalesKpis.TimeToContract(won), SalesKpis.ThisQuarter(recent, now)));
    }

    /// <summary>Pages through the leads (newest first) while <paramref name="keepGoing"/> holds for each.</summary>
    private static async Task<List<LeadRecord>> AllAsync(ILeadStore leads, string? status, Func<LeadRecord, bool> keepGoing, CancellationToken ct)
    {
        var all = new List<LeadRecord>();
        string? before = null;
        while (true)
        {
            var page = await leads.ListAsync(status, before, PageSize, ct);
            foreach (var lead in page)
            {
                if (!keepGoing(lead)) return all;
                all.Add(lead);
            }
            if (page.Count < PageSize) return all;
            before = page[^1].Id;
        }
    }
}
