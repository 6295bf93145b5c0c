using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Onboarding;

public sealed record OnboardingStepResponse(string Key, string Title, bool Manual, bool Done, DateTimeOffset? DoneAt);

/// <param name="DaysSinceStart">Whole days since the quote was won.</param>
/// <param name="Overdue">Not complete after <see cref="OnboardingChecklist.TargetDays"/> days.</param>
/// <param name="CompletedAt">When the last step was done, once all are.</param>
public sealed record OnboardingResponse(string OrganisationId, string QuoteId, string LeadId, string PlanId, DateTimeOffset StartedAt, bool Provisioned,
    int DaysSinceStart, int TargetDays, bool Overdue, bool Complete, DateTimeOffset? CompletedAt, IReadOnlyList<OnboardingStepResponse> Steps);

/// <summary><c>PUT /v1/organisations/{orgId}/onboarding/steps/{step}</c>: ticks (or unticks) a step that is done by hand.</summary>
public sealed record TickOnboardingStepRequest(bool? Done) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Done is null) errors.Add("done", "done is required: true to tick the step, false to untick it.");
    }
}

/// <summary>
/// The onboarding checklist of an organisation made from a won quote. Steps follow the organisation's real state (SSO
/// settings, a SCIM key used, an owner or admin member, usage, the lead's owner) and are recorded, with an audit event,
/// the first time they are seen done, so a step keeps the time it was done; the DPA is ticked by hand.
/// </summary>
public static class OnboardingEndpoints
{
    public static void MapOnboardingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organisations/{orgId}/onboarding").WithTags("Onboarding");
        group.MapGet("/", GetAsync).RequireAuthorization(Permissions.OnboardingRead).WithName("GetOnboarding");
        group.MapPut("/steps/{step}", TickAsync).RequireAuthorization(Permissions.OnboardingWrite).Validates<TickOnboardingStepRequest>()
            .WithMetadata(new IdempotentMutationAttribute()).WithName("TickOnboardingStep").ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<OnboardingResponse>, ProblemHttpResult>> GetAsync(
        string orgId, IOnboardingStore onboardings, OrganisationGrains grains, TimeProvider clock, ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        if (await onboardings.GetAsync(orgId, ct) is not { } onboarding) return await NoOnboardingAsync(orgId, grains, ct);
        var grain = grains.Get(orgId);
        var entitlements = await grain.GetEntitlementsAsync();
        var usage = await grain.GetUsageAsync();
        var used = usage is not null && (usage[Metrics.AiCalls].Used > 0 || usage[Metrics.StorageBytes].Used > 0);
        var now = clock.GetUtcNow();

        var steps = entitlements is null ? OnboardingChecklist.Steps : OnboardingChecklist.For(entitlements);
        var recorded = (await onboardings.ListStepsAsync(orgId, ct)).ToDictionary(s => s.Step);
        var seen = OnboardingChecklist.SeenDone(await onboardings.ReadFactsAsync(onboarding, ct), used, now)
            .Where(s => !recorded.ContainsKey(s.Step) && steps.Any(step => step.Key == s.Step)).ToList();
        if (seen.Count > 0)
        {
            var logger = logs.CreateLogger(typeof(OnboardingEndpoints).FullName!);
            foreach (var step in await onboardings.RecordStepsAsync(orgId, seen, s => StepAudit(orgId, s), now, http.ChangeContext(), ct))
            {
                recorded[step.Step] = step;
                OnboardingLog.StepDone(logger, orgId, step.Step);
            }
        }
        return TypedResults.Ok(Describe(onboarding, steps, recorded, now));
    }

    public static async Task<Results<Ok<OnboardingResponse>, ValidationProblem, ProblemHttpResult>> TickAsync(
        string orgId, string step, TickOnboardingStepRequest request, IOnboardingStore onboardings, OrganisationGrains grains, TimeProvider clock,
        ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        if (OnboardingChecklist.Find(step) is not { } known)
            return Problems.Validation("step", $"Unknown step '{step}'; the checklist has {string.Join(", ", OnboardingChecklist.Steps.Select(s => s.Key))}.");
        if (!known.Manual)
            return Problems.Conflict($"Step '{step}' follows the organisation's state and cannot be ticked by hand; ticked by hand: "
                + string.Join(", ", OnboardingChecklist.Steps.Where(s => s.Manual).Select(s => s.Key)) + ".");
        if (await onboardings.GetAsync(orgId, ct) is null) return await NoOnboardingAsync(orgId, grains, ct);

        var now = clock.GetUtcNow();
        if (request.Done == true)
            await onboardings.RecordStepsAsync(orgId, [new OnboardingStepRecord(step, now, Manual: true)], s => StepAudit(orgId, s), now, http.ChangeContext(), ct);
        else
            await onboardings.ClearStepAsync(orgId, step, now, new AuditRecord("onboarding.step.cleared", $"organisations/{orgId}/onboarding/steps/{step}", null, null),
                http.ChangeContext(), ct);
        var answer = await GetAsync(orgId, onboardings, grains, clock, logs, http, ct);
        return answer.Result is Ok<OnboardingResponse> ok ? ok : (ProblemHttpResult)answer.Result;
    }

    private static OnboardingResponse Describe(OnboardingRecord onboarding, IReadOnlyList<OnboardingStep> steps,
        IReadOnlyDictionary<string, OnboardingStepRecord> recorded, DateTimeOffset now)
    {
        var items = steps.Select(s => new OnboardingStepResponse(s.Key, s.Title, s.Manual, recorded.ContainsKey(s.Key), recorded.GetValueOrDefault(s.Key)?.DoneAt)).ToList();
        var complete = onboarding.ProvisionedAt is not null && items.All(i => i.Done);
        var completedAt = complete ? items.Max(i => i.DoneAt) : null;
        var days = (int)Math.Floor((now - onboarding.StartedAt).TotalDays);
        var overdue = !complete && now - onboarding.StartedAt > TimeSpan.FromDays(OnboardingChecklist.TargetDays);
        return new OnboardingResponse(onboarding.OrgId, onboarding.QuoteId, onboarding.LeadId, onboarding.PlanId, onboarding.StartedAt,
            onboarding.ProvisionedAt is not null, days, OnboardingChecklist.TargetDays, overdue, complete, completedAt, items);
    }

    private static async Task<ProblemHttpResult> NoOnboardingAsync(string orgId, OrganisationGrains grains, CancellationToken ct) =>
        await grains.FindAsync(orgId, ct) is null
            ? Problems.OrganisationNotFound(orgId)
            : Problems.NotFound($"Organisation '{orgId}' has no onboarding: only an organisation created from a won quote (PATCH /v1/quotes/{{quoteId}}) has one.");

    private static AuditRecord StepAudit(string orgId, OnboardingStepRecord step) => new("onboarding.step.done",
        $"organisations/{orgId}/onboarding/steps/{step.Step}", null,
        JsonSerializer.Serialize(new { step = step.Step, doneAt = step.DoneAt, manual = step.Manual }, AuditJsonOptions.Options));
}
