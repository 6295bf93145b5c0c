using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Api.Usage;

/// <summary>
/// Usage against limits for people (the console's charts): the current billing period from the organisation's grain,
/// and daily history from <c>usage_history</c>, which the grain writes when it flushes.
/// </summary>
public static class UsageHistoryEndpoints
{
    /// <summary>The longest history one request may ask for.</summary>
    public const int MaxDays = 366;

    public static void MapUsageHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/usage").WithTags("Usage");
        group.MapGet("/", GetPeriodAsync).RequireAuthorization(Permissions.UsageRead).WithName("GetUsage");
        group.MapGet("/history", GetHistoryAsync).RequireAuthorization(Permissions.UsageRead).WithName("GetUsageHistory");
    }

    public static async Task<Results<Ok<UsagePeriodResponse>, ProblemHttpResult>> GetPeriodAsync(
        string orgId, OrganisationGrains grains, TimeProvider clock, CancellationToken ct)
    {
        var grain = grains.Get(orgId);
        if (await grain.GetOrganisationAsync() is not { } organisation || await grain.GetEntitlementsAsync() is not { } entitlements)
            return Problems.OrganisationNotFound(orgId);
        var usage = (await grain.GetUsageAsync())!;
        var period = BillingPeriod.For(organisation.BillingAnchor, clock.GetUtcNow());
        var metrics = Metrics.All.ToDictionary(m => m, m => new MetricPeriodUsage(
            KindName(m), usage[m].Used, entitlements.Limits[m].Limit, entitlements.Limits[m].Policy), StringComparer.Ordinal);
        return TypedResults.Ok(new UsagePeriodResponse(orgId, period.Start, period.End, metrics));
    }

    /// <param name="from">First UTC day, yyyy-MM-dd; the current billing period's first day when left out.</param>
    /// <param name="to">Last UTC day, yyyy-MM-dd; today when left out.</param>
    public static async Task<Results<Ok<UsageHistoryResponse>, ValidationProblem, ProblemHttpResult>> GetHistoryAsync(
        string orgId, OrganisationGrains grains, IUsageHistoryStore store, TimeProvider clock, CancellationToken ct,
        string? metric = null, string? from = null, string? to = null)
    {
        if (metric is null || !Metrics.IsKnown(metric))
            return Problems.Validation("metric", $"metric is required: one of {string.Join(", ", Metrics.All)}.");
        if (!TryDay(from, out var first)) return BadDay("from");
        if (!TryDay(to, out var last)) return BadDay("to");
        if (await grains.FindAsync(orgId, ct) is not { } organisation) return Problems.OrganisationNotFound(orgId);

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var start = first ?? DateOnly.FromDateTime(BillingPeriod.For(organisation.BillingAnchor, now).Start.UtcDateTime);
        var end = last ?? today;
        if (end < start) return Problems.Validation("to", $"to ({end:yyyy-MM-dd}) must not be before from ({start:yyyy-MM-dd}).");
        if (end.DayNumber - start.DayNumber + 1 > MaxDays) return Problems.Validation("to", $"Ask for at most {MaxDays} days at a time.");

        var days = await store.ListAsync(orgId, metric, start, end, ct);
        var points = Daily(days, Metrics.KindOf(metric), start, end < today ? end : today);
        return TypedResults.Ok(new UsageHistoryResponse(orgId, metric, KindName(metric), start, end, points));
    }

    /// <summary>One point per day: ai_calls' missing days used nothing; a gauge keeps its last level, from its first known one.</summary>
    internal static List<UsageHistoryPoint> Daily(IReadOnlyList<UsageDay> recorded, MetricKind kind, DateOnly from, DateOnly to)
    {
        var byDay = recorded.Where(d => d.Day >= from).ToDictionary(d => d.Day, d => d.Amount);
        long? level = kind == MetricKind.Gauge ? recorded.Where(d => d.Day < from).Select(d => (long?)d.Amount).LastOrDefault() : 0;
        var points = new List<UsageHistoryPoint>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (byDay.TryGetValue(day, out var amount)) level = amount;
            else if (kind == MetricKind.Periodic) level = 0;
            if (level is { } value) points.Add(new UsageHistoryPoint(day, value));
        }
        return points;
    }

    private static string KindName(string metric) => Metrics.KindOf(metric) == MetricKind.Periodic ? "periodic" : "gauge";

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (text is null) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        day = parsed;
        return true;
    }

    private static ValidationProblem BadDay(string field) => Problems.Validation(field, $"{field} must be a day like 2026-11-30 (yyyy-MM-dd, UTC).");
}
