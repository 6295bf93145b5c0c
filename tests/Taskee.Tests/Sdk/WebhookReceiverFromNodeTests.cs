using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Taskee.Client.Webhooks;
using Taskee.Tests.Infrastructure;
using Taskee.Tests.Webhooks;

namespace Taskee.Tests.Sdk;

/// <summary>The SDK's receiver (<c>MapTaskeeWebhooks</c>) on loopback, fed by a real node's outgoing webhooks.</summary>
public sealed class WebhookReceiverFromNodeTests(WebhookDeliveryNodeFixture fixture) : IClassFixture<WebhookDeliveryNodeFixture>
{
    [Fact]
    public async Task A_message_the_node_delivers_verifies_and_reads_back_as_the_audit_event()
    {
        var admin = fixture.Node.Admin();
        var orgId = TestApi.NewOrgId("sdkwh");
        await admin.CreateOrganisationAsync(orgId);
        var port = TaskeeNode.FreePort();
        // Disabled until the receiver runs with the secret, which only the create answer shows.
        var created = await admin.CreateWebhookAsync(orgId, new { url = $"http://127.0.0.1:{port}/webhooks/taskee", events = new[] { "org.limit.set" }, enabled = false });

        var handled = new ConcurrentQueue<TaskeeWebhookEvent>();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var receiver = builder.Build();
        receiver.MapTaskeeWebhooks("/webhooks/taskee", (TaskeeWebhookEvent e, CancellationToken _) =>
        {
            handled.Enqueue(e);
            return Task.CompletedTask;
        }, o => o.Secrets.Add(created["secret"]!.GetValue<string>()));
        await receiver.StartAsync();
        var enable = new HttpRequestMessage(HttpMethod.Patch, $"{WebhookApi.Webhooks(orgId)}/{created.Id()}") { Content = TestApi.Json(new { enabled = true }) };
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(enable)).StatusCode);

        await admin.SetLimitAsync(orgId, "ai_calls", 77);
        await TestWebhooks.EventuallyAsync(() => !handled.IsEmpty, "the SDK receiver handling the message");

        var message = Assert.Single(handled);
        var audit = (await admin.AuditEventsAsync(orgId)).Single(e => e["action"]!.GetValue<string>() == "org.limit.set");
        Assert.Equal("org.limit.set", message.Type);
        Assert.Equal("msg_" + audit["id"]!.GetValue<string>(), message.WebhookId);
        Assert.Equal(message.WebhookId, message.Id);
        Assert.Equal(DateTimeOffset.Parse(audit["at"]!.GetValue<string>()), message.Timestamp);
        Assert.Equal(audit["hash"]!.GetValue<string>(), message.Data.GetProperty("hash").GetString());
        Assert.Equal(audit["seq"]!.GetValue<long>(), message.Data.GetProperty("seq").GetInt64());
        var attempt = (await admin.GetJsonAsync($"{WebhookApi.Webhooks(orgId)}/{created.Id()}/deliveries"))["items"]!.AsArray().Single()!;
        Assert.Equal("succeeded", attempt["outcome"]!.GetValue<string>());
    }
}
