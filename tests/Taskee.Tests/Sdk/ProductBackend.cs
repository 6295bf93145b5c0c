using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Taskee.Client;
using Taskee.Client.Guards;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sdk;

/// <summary>A small product service on a TestServer that installs Taskee.Client and guards its endpoints, as a customer would.</summary>
public sealed class ProductBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProductBackend(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public HttpClient Client() => _app.GetTestClient();

    /// <param name="node">The node whose in-process handler backs the SDK's HttpClient; null sends over the network to BaseAddress.</param>
    public static async Task<ProductBackend> StartAsync(Action<TaskeeClientOptions> configure, Func<HttpMessageHandler>? node = null,
        Action<IHttpClientBuilder>? client = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        var http = builder.Services.AddTaskeeClient(configure);
        if (node is not null) http.ConfigurePrimaryHttpMessageHandler(node);
        client?.Invoke(http);

        var app = builder.Build();
        app.UseExceptionHandler(); // a throwing handler answers 500, as in production
        app.UseTaskeeGuards();
        app.MapGet("/orgs/{orgId}/reports", () => "report").RequireFeature("advanced_reports");
        app.MapGet("/orgs/{orgId}/attributed", [RequireFeature("advanced_reports")] () => "report");
        var sso = app.MapGroup("/orgs/{orgId}/sso").RequireFeature("sso");
        sso.MapGet("/settings", () => "sso settings");
        app.MapPost("/orgs/{orgId}/ai", () => "answer").ConsumesQuota("ai_calls", 1);
        app.MapPost("/orgs/{orgId}/upload", (bool? fail) => fail == true ? Results.StatusCode(500) : Results.Ok("stored"))
            .ConsumesQuota("storage_bytes", 100);
        app.MapPost("/orgs/{orgId}/upload-throws", IResult () => throw new InvalidOperationException("disk full"))
            .ConsumesQuota("storage_bytes", 100);
        await app.StartAsync();
        return new ProductBackend(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A new organisation on the plan and a key with the <c>usage</c> scope, as a product service is given.</summary>
    public static async Task<(string OrgId, string Key)> OrganisationAsync(HttpClient admin, string plan, string prefix)
    {
        var orgId = TestApi.NewOrgId(prefix);
        await admin.CreateOrganisationAsync(orgId, plan);
        return (orgId, await admin.CreateKeyAsync(orgId, "usage"));
    }
}

/// <summary>Records what the SDK sent and got; optionally loses the answer of the first matching request after the node handled it.</summary>
/// <param name="inProgressFirst">Answers the first matching request 409 "in progress" without passing it on, as the node does while
/// an earlier attempt with the same Idempotency-Key is still being processed.</param>
public sealed class RecordingHandler(Func<HttpRequestMessage, bool>? loseFirstAnswerOf = null, Func<HttpRequestMessage, bool>? inProgressFirst = null) : DelegatingHandler
{
    private int _lost;
    private int _answered;

    public ConcurrentQueue<(string Method, string Path, string? IdempotencyKey, string? IfNoneMatch, HttpStatusCode? Status)> Calls { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var key = request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null;
        var ifNoneMatch = request.Headers.IfNoneMatch.Count > 0 ? request.Headers.IfNoneMatch.ToString() : null;
        if (inProgressFirst is not null && inProgressFirst(request) && Interlocked.Exchange(ref _answered, 1) == 0)
        {
            Calls.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, key, ifNoneMatch, HttpStatusCode.Conflict));
            return new HttpResponseMessage(HttpStatusCode.Conflict) { RequestMessage = request };
        }
        var response = await base.SendAsync(request, ct);
        Calls.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, key, ifNoneMatch, response.StatusCode));
        if (loseFirstAnswerOf is not null && loseFirstAnswerOf(request) && Interlocked.Exchange(ref _lost, 1) == 0)
        {
            response.Dispose();
            throw new HttpRequestException("The connection was reset after the node answered.");
        }
        return response;
    }
}
