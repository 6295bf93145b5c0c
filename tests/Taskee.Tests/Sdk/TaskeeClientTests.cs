using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Client;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sdk;

/// <summary>Taskee.Client against a real node: the routes and payloads, the safe retries, the ETag-revalidated entitlements.</summary>
public sealed class TaskeeClientTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _admin = fixture.Node.Admin();

    private async Task<(ProductBackend Backend, TaskeeClient Client, RecordingHandler Recorder, string OrgId)> ClientAsync(
        string plan = "pro", Func<HttpRequestMessage, bool>? loseFirstAnswerOf = null, TimeSpan? freshFor = null,
        Func<HttpRequestMessage, bool>? inProgressFirst = null)
    {
        var (orgId, key) = await ProductBackend.OrganisationAsync(_admin, plan, "sdk");
        var recorder = new RecordingHandler(loseFirstAnswerOf, inProgressFirst);
        var backend = await ProductBackend.StartAsync(o =>
        {
            o.BaseAddress = new Uri("http://localhost");
            o.ApiKey = key;
            o.EntitlementsFreshFor = freshFor ?? TimeSpan.FromSeconds(5);
        }, fixture.Node.Server.CreateHandler, http => http.AddHttpMessageHandler(() => recorder));
        return (backend, backend.Services.GetRequiredService<TaskeeClient>(), recorder, orgId);
    }

    [Fact]
    public async Task The_client_checks_consumes_releases_batches_and_reads_features_and_entitlements_of_a_real_node()
    {
        var (backend, client, _, orgId) = await ClientAsync();
        await using var _ = backend;

        var check = await client.CheckAsync(orgId, "ai_calls", 5);
        Assert.True(check.Allowed);
        Assert.Equal(20000, check.Limit);
        var consumed = await client.ConsumeAsync(orgId, "ai_calls", 5);
        Assert.Equal(5, consumed.Used);
        await client.ConsumeAsync(orgId, "storage_bytes", 1000);
        var released = await client.ReleaseAsync(orgId, "storage_bytes", 400);
        Assert.Equal(600, released.Used);

        var batch = await client.BatchAsync([new(orgId, "ai_calls", UsageOp.Check, 1), new(orgId, "nope", UsageOp.Check, 1)]);
        Assert.True(batch[0].Allowed);
        Assert.Equal(400, batch[1].Error!.Status);

        Assert.Equal(new FeatureDecision(true, "plan"), await client.GetFeatureAsync(orgId, "advanced_reports"));
        Assert.Equal(new FeatureDecision(false, "not_in_plan"), await client.GetFeatureAsync(orgId, "sso"));
        var entitlements = await client.GetEntitlementsAsync(orgId);
        Assert.Equal("pro", entitlements.Plan);
        Assert.True(entitlements.Feature("advanced_reports").Enabled);
        Assert.Equal(5, entitlements.Usage["ai_calls"].Used);
        Assert.Equal(20000, entitlements.Limits["ai_calls"].Limit);

        var problem = await Assert.ThrowsAsync<TaskeeProblemException>(() => client.CheckAsync(TestApi.NewOrgId("other"), "ai_calls", 1));
        Assert.Equal(404, problem.Status);
    }

    [Fact]
    public async Task A_consume_whose_answer_was_lost_is_retried_with_the_same_idempotency_key_and_counted_once()
    {
        var (backend, client, recorder, orgId) = await ClientAsync(loseFirstAnswerOf: r => r.RequestUri!.AbsolutePath.EndsWith("/consume", StringComparison.Ordinal));
        await using var _ = backend;

        var decision = await client.ConsumeAsync(orgId, "ai_calls", 3);

        var attempts = recorder.Calls.Where(c => c.Path.EndsWith("/consume", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.NotNull(attempts[0].IdempotencyKey);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
        Assert.Equal(3, decision.Used);
        var usage = await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements");
        Assert.Equal(3, usage["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_consume_answered_in_progress_is_retried_with_the_same_key_until_the_node_answers()
    {
        var (backend, client, recorder, orgId) = await ClientAsync(inProgressFirst: r => r.RequestUri!.AbsolutePath.EndsWith("/consume", StringComparison.Ordinal));
        await using var _ = backend;

        var decision = await client.ConsumeAsync(orgId, "ai_calls", 2, idempotencyKey: "order-42");

        var attempts = recorder.Calls.Where(c => c.Path.EndsWith("/consume", StringComparison.Ordinal)).ToList();
        Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.OK], attempts.Select(a => a.Status!.Value));
        Assert.All(attempts, a => Assert.Equal("order-42", a.IdempotencyKey));
        Assert.Equal(2, decision.Used);
    }

    [Fact]
    public async Task A_release_whose_answer_was_lost_is_not_retried_so_it_never_gives_back_twice()
    {
        var (backend, client, recorder, orgId) = await ClientAsync(loseFirstAnswerOf: r => r.RequestUri!.AbsolutePath.EndsWith("/release", StringComparison.Ordinal));
        await using var _ = backend;
        await client.ConsumeAsync(orgId, "storage_bytes", 1000);

        await Assert.ThrowsAsync<TaskeeUnavailableException>(() => client.ReleaseAsync(orgId, "storage_bytes", 100));

        Assert.Single(recorder.Calls, c => c.Path.EndsWith("/release", StringComparison.Ordinal));
        var usage = await _admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements");
        Assert.Equal(900, usage["usage"]!["storage_bytes"]!["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task Entitlements_are_served_locally_while_fresh_then_revalidated_by_etag_and_refetched_after_a_change()
    {
        var (backend, client, recorder, orgId) = await ClientAsync(freshFor: TimeSpan.Zero);
        await using var _ = backend;

        var first = await client.GetEntitlementsAsync(orgId);
        var second = await client.GetEntitlementsAsync(orgId);
        Assert.Same(first, second);
        var calls = recorder.Calls.Where(c => c.Path.EndsWith("/entitlements", StringComparison.Ordinal)).ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotModified], calls.Select(c => c.Status!.Value));
        Assert.Null(calls[0].IfNoneMatch);
        Assert.NotNull(calls[1].IfNoneMatch);

        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync($"/v1/organisations/{orgId}/features/sso", TestApi.Json(new { enabled = true }))).StatusCode);
        var third = await client.GetEntitlementsAsync(orgId);
        Assert.Equal(new FeatureDecision(true, "override"), third.Feature("sso"));
    }

    [Fact]
    public async Task Fresh_entitlements_are_not_asked_for_again()
    {
        var (backend, client, recorder, orgId) = await ClientAsync(freshFor: TimeSpan.FromMinutes(5));
        await using var _ = backend;

        await client.GetEntitlementsAsync(orgId);
        await client.GetEntitlementsAsync(orgId);

        Assert.Single(recorder.Calls, c => c.Path.EndsWith("/entitlements", StringComparison.Ordinal));
    }
}
