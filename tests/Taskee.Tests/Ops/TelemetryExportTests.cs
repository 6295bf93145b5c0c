using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Ops;

public sealed class TelemetryExportTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_node_exports_metrics_and_traces_to_it()
    {
        var received = new ConcurrentBag<(string Path, long Bytes)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpRequest request, string signal) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Add((signal, body.Length));
            return Results.Ok();
        });
        await collector.StartAsync();
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var database = await TestDatabase.CreateAsync();
        // OpenTelemetry is set up by Program's composition, so this node runs as its own process.
        await using (var silo = await SiloProcess.StartAsync(database,
            $"--Otlp:Endpoint={address}", "--Otlp:Protocol=http/protobuf", "--Otlp:MetricsInterval=00:00:01"))
        {
            using var client = silo.Client();
            client.DefaultRequestHeaders.Authorization = new("Bearer", TaskeeNode.AdminKey);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                await client.GetAsync("/v1/plans");
                if (received.Any(r => r.Path == "metrics") && received.Any(r => r.Path == "traces")) break;
                await Task.Delay(250);
            }
        }

        Assert.Contains(received, r => r.Path == "metrics" && r.Bytes > 0);
        Assert.Contains(received, r => r.Path == "traces" && r.Bytes > 0);
    }
}
