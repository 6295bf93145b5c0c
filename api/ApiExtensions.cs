using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Taskee.Api.AdminConsole;
using Taskee.Api.ApiKeys;
using Taskee.Api.Audit;
using Taskee.Api.Auth;
using Taskee.Api.Auth.Jwt;
using Microsoft.Extensions.Options;
using Taskee.Api.Billing;
using Taskee.Api.Billing.Webhooks;
using Taskee.Api.Cluster;
using Taskee.Api.Documents;
using Taskee.Api.Flags;
using Taskee.Api.Identity;
using Taskee.Api.Identity.Issuer;
using Taskee.Api.Identity.Saml;
using Taskee.Api.Identity.Oidc;
using Taskee.Api.Members;
using Taskee.Api.OpenApi;
using Taskee.Api.Ops;
using Taskee.Api.Imports;
using Taskee.Api.Infrastructure;
using Taskee.Api.Organisations;
using Taskee.Api.Plans;
using Taskee.Api.Privacy;
using Taskee.Api.Sales;
using Taskee.Api.Scim;
using Taskee.Api.Usage;
using Taskee.Api.Webhooks;
using Taskee.Api.Offboarding;
using Taskee.Api.Retention;
using Taskee.Grains.Jobs;

namespace Taskee.Api;

public static class ApiExtensions
{
    /// <summary>Services of the HTTP API: JSON rules, problem details, authentication, authorization, OpenAPI, health.</summary>
    public static IServiceCollection AddTaskeeApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.ConfigureHttpJsonOptions(o =>
        {
            // Strict input: a number sent as a string, or a field we do not know (a typo), is a 400, not a silent default.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["requestId"] = c.HttpContext.TraceIdentifier;
            // Answers the framework writes itself (status code pages) get a detail that says what to do.
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large; split the request.",
                StatusCodes.Status404NotFound => "There is no such endpoint; see /openapi for the API.",
                StatusCodes.Status405MethodNotAllowed => "This endpoint does not accept this method; see /openapi for the API.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddTaskeeScim();

        services.AddSingleton<OrganisationGrains>();
        services.AddSingleton<OrganisationPlans>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<IdentityCache>();
        services.AddTaskeeJwt();
        services.AddTaskeeIssuer();
        services.AddTaskeeOidc();

        // The API-key scheme is the default and passes everything that is not an API key on: cookies of the ops and
        // console sessions and of Taskee's browser session, and JWTs to their issuer's scheme. The product API, called
        // with keys thousands of times a second, so meets one authentication handler per request instead of a policy
        // scheme's and then the key's (a handler forwarding to its own name handles the request itself).
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.ForwardDefaultSelector = context =>
                OpsSession.UsesCookie(context) ? OpsSession.Scheme
                : ConsoleSession.UsesCookie(context) ? ConsoleSession.Scheme
                : SessionCookies.UsesCookie(context) ? TaskeeTokenScheme.CookieScheme
                : context.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                  && header["Bearer ".Length..].Trim() is var token && !token.StartsWith(ApiKeyToken.Prefix, StringComparison.Ordinal)
                    ? context.RequestServices.GetRequiredService<IssuerRegistry>().SchemeFor(token)
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddOpsSession()
            .AddConsoleSession()
            .AddJwtBearer(IssuerRegistry.PlatformScheme)
            .AddTaskeeTokens();
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, PermissionAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddTaskeeRateLimits();
        services.AddSingleton<TrafficMeter>();
        services.AddSingleton<RequestOutcomes>();
        services.AddSingleton<AuditLag>();
        services.AddSingleton<IPeriodicJob, PrivacyRequestJob>();
        services.AddSingleton<PrivacyReceipts>();
        services.AddSingleton<AccessBundleWriter>();
        services.AddOptions<OpsOptions>().BindConfiguration(OpsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<OpsSampler>();
        services.AddSingleton<StartupGate>();
        services.AddHealthChecks().AddCheck<StartupGate>("startup", tags: ["ready"]);
        services.AddSingleton<IPeriodicJob, IdempotencyPurgeJob>();
        services.AddSingleton<RetentionMetrics>();
        services.AddSingleton<IPeriodicJob, AuditRetentionJob>();
        services.AddOptions<OffboardingOptions>().BindConfiguration(OffboardingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OffboardingOptions>, OffboardingOptionsValidator>();
        services.AddSingleton<OffboardingExport>();
        services.AddSingleton<IPeriodicJob, OffboardingDeletionJob>();
        services.AddTaskeeBilling();
        services.AddTaskeeSaml();
        services.AddTaskeeWebhooks();
        services.AddTaskeeSales();
        services.AddTaskeeDocuments();
        services.AddTaskeeImports();

        services.AddTaskeeOpenApi();
        return services;
    }

    /// <summary>The request pipeline, in order: ids, errors, size limit, start-up gate, CSRF of cookie sessions, auth, idempotency.</summary>
    public static WebApplication UseTaskeeApi(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseRouting();
        app.UseMiddleware<RequestOutcomeMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseMiddleware<StartupGateMiddleware>();
        app.UseMiddleware<CsrfMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    public static WebApplication MapTaskeeApi(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapTaskeeOpenApi();
        app.MapOpsDashboard();
        app.MapOpsSession();
        app.MapConsolePage();
        app.MapConsoleSession();
        app.MapMeEndpoints();

        app.MapOrganisationEndpoints();
        app.MapPlanEndpoints();
        app.MapFlagEndpoints();
        app.MapAuditEndpoints();
        app.MapRetentionEndpoints();
        app.MapOffboardingEndpoints();
        app.MapApiKeyEndpoints();
        app.MapUsageEndpoints();
        app.MapUsageHistoryEndpoints();
        app.MapMemberEndpoints();
        app.MapPrivacyRequestEndpoints();
        app.MapMemberRoleEndpoints();
        app.MapOpsEndpoints(app.Configuration);
        app.MapClusterEndpoints();
        app.MapRoleEndpoints();
        app.MapSsoEndpoints();
        app.MapIssuerEndpoints();
        app.MapSamlSettingsEndpoints();
        app.MapSamlEndpoints();
        app.MapOidcEndpoints();
        app.MapScimEndpoints();
        app.MapScimGroupRoleEndpoints();
        app.MapAuthStatusEndpoints();
        app.MapBillingEndpoints();
        app.MapStripeWebhookEndpoints();
        app.MapWebhookEndpoints();
        app.MapTaskeeSales();
        app.MapQuoteDocumentEndpoints();
        app.MapWebhookDeliveryEndpoints();
        app.MapImportEndpoints();
        return app;
    }
}
