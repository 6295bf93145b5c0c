using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales;

/// <summary>
/// The public side of the sales intake, without sign-in: <c>GET /v1/leads/form</c> (a form token and the consent text) and
/// <c>POST /v1/leads</c>. Abuse limits: a per-address rate limit, a small body limit, a honeypot field and a minimum time
/// between opening and sending the form. It stores the lead and nothing else: it sends no e-mail, to anyone.
/// </summary>
public static class LeadIntakeEndpoints
{
    /// <summary>Who a lead's creation is audited as: the public form, not a person we know (the prospect's details stay out of audit).</summary>
    public static readonly AuditActor IntakeActor = new("public", "enterprise-intake");

    public static void MapLeadIntakeEndpoints(this IEndpointRouteBuilder app)
    {
        var maxBody = app.ServiceProvider.GetRequiredService<IOptions<LeadOptions>>().Value.MaxBodyBytes;
        var group = app.MapGroup("/v1/leads").WithTags("Sales leads").AllowAnonymous();
        group.MapGet("/form", Form).WithName("GetLeadForm")
            .WithSummary("What the intake form needs before it is filled in: a form token (time-to-submit check) and the consent text.");
        group.MapPost("/", CreateAsync).Validates<CreateLeadRequest>().RequireRateLimiting(LeadIntakeRateLimit.Name)
            .WithMetadata(new BodySizeLimit(maxBody)).WithName("CreateLead")
            .WithSummary("Sends the enterprise intake form: stores the lead, qualifies it and queues its hand-off to the CRM.");
    }

    public static Ok<LeadFormResponse> Form(FormTokens tokens, IOptions<LeadOptions> options, HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new LeadFormResponse(tokens.Issue(), (int)Math.Ceiling(options.Value.MinimumFillTime.TotalSeconds),
            new LeadConsentResponse(LeadConsentText.Version, LeadConsentText.Texts)));
    }

    public static async Task<Results<Created<LeadCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateLeadRequest request, FormTokens tokens, ILeadStore leads, IOptions<LeadOptions> options, TimeProvider clock, ILoggerFactory logs,
        HttpContext http, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(LeadIntakeEndpoints).FullName!);
        // The page always sends a token; an API client may leave it out (the contract has none), and is then held to the
        // per-address limit and the honeypot alone.
        var check = request.FormToken is null ? FormTokenCheck.Valid : tokens.Check(request.FormToken);
        if (check != FormTokenCheck.Valid) SalesLog.IntakeRefused(logger, $"form token {check}");
        switch (check)
        {
            case FormTokenCheck.Invalid:
                return Problems.Validation("formToken", "formToken was not issued by this service or was altered; reload the form and send it again.");
            case FormTokenCheck.Expired:
                return Problems.Validation("formToken", "The form was opened too long ago; reload the page and send it again.");
            case FormTokenCheck.TooSoon:
                return Problems.UnprocessableEntity("Sent too quickly",
                    $"The form was sent less than {options.Value.MinimumFillTime.TotalSeconds:0} s after it was opened, faster than a person fills it in. Wait a moment and send it again. Nothing was stored.");
        }

        var now = clock.GetUtcNow();
        var answers = request.ToAnswers();
        var qualification = LeadQualification.Qualify(answers);
        var language = request.Language ?? "nl";
        var lead = new LeadRecord("lead_" + Ulid.NewUlid(now), now, answers, request.ToContact(), language,
            new LeadConsent(LeadConsentText.Version, LeadConsentText.Texts[language], now), qualification, LeadStatuses.New,
            Owner: null, Notes: null, Version: 1, UpdatedAt: now, History: [], Crm: new CrmSyncState(null, null, 0, 0, null, null));
        // The request id, but neither the contact nor the address: personal data stays in the lead row, which can be erased.
        await leads.CreateAsync(lead, handToCrm: qualification.Qualified, Audit(lead), new ChangeContext(IntakeActor, http.TraceIdentifier, null), ct);
        SalesLog.LeadReceived(logger, lead.Id, qualification.Qualified, qualification.Score);
        return TypedResults.Created($"/v1/leads/{lead.Id}", new LeadCreatedResponse(lead.Id, qualification.Qualified, qualification.Reasons));
    }

    private static AuditRecord Audit(LeadRecord lead)
    {
        var a = lead.Answers;
        var after = JsonSerializer.Serialize(new
        {
            id = lead.Id, a.OrganisationName, a.Sector, a.Users, a.Compliance, a.Tooling, a.NeedsSso, a.NeedsScim, a.NeedsSla, a.PrivateHosting,
            lead.Language, consentVersion = lead.Consent.Version, lead.Qualification.Qualified, lead.Qualification.Score, lead.Qualification.Reasons,
            lead.Status,
        }, AuditJsonOptions.Options);
        return new AuditRecord("lead.created", $"leads/{lead.Id}", null, after);
    }
}
