using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Infrastructure;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

/// <summary>
/// Nothing in /v1 is deprecated yet, so the mechanism is tried on a route only this test's node maps (through a
/// startup filter): the real node's document, and its snapshot, never see it.
/// </summary>
public sealed class DeprecationTests
{
    private const string Route = "/v1/test/deprecated";
    private static readonly DateTimeOffset Since = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Sunset = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Link = "https://docs.taskee.example/api/migrations/test-route";

    [Fact]
    public async Task A_deprecated_route_answers_with_deprecation_sunset_and_link_headers_and_is_deprecated_in_openapi()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database, services: s => s.AddSingleton<IStartupFilter, DeprecatedRoute>()).StartAsync();
        var client = node.Client(null);

        foreach (var path in new[] { Route, Route + "?fail=true" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(path == Route ? HttpStatusCode.OK : HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("@" + Since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues("Deprecation")));
            Assert.Equal("Tue, 01 Dec 2026 00:00:00 GMT", Assert.Single(response.Headers.GetValues("Sunset")));
            Assert.Contains($"<{Link}>; rel=\"deprecation\"; type=\"text/html\"", response.Headers.GetValues("Link"));
        }

        var document = await client.GetJsonAsync("/openapi/v1.json");
        var operation = document["paths"]![Route]!["get"]!;
        Assert.True(operation["deprecated"]!.GetValue<bool>());
        Assert.Contains("2026-12-01", operation["description"]!.GetValue<string>());
        Assert.Contains(Link, operation["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Routes_that_are_not_deprecated_carry_no_deprecation_headers_and_are_not_deprecated_in_openapi()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = await new TaskeeNode(database).StartAsync();

        var response = await node.Admin().GetAsync("/v1/plans");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Deprecation"));
        Assert.False(response.Headers.Contains("Sunset"));

        var document = await node.Client(null).GetJsonAsync("/openapi/v1.json");
        var deprecated = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Value!["deprecated"] is JsonValue v && v.GetValue<bool>()).Select(o => $"{o.Key} {p.Key}"));
        Assert.Empty(deprecated);
    }

    [Fact]
    public void A_sunset_before_the_deprecation_is_refused_when_the_route_is_mapped()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();
        Assert.Throws<ArgumentException>(() => app.MapGet("/x", () => "x").Deprecated(Sunset, Since, Link));
    }

    /// <summary>Maps the deprecated test route ahead of the node's own pipeline.</summary>
    private sealed class DeprecatedRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints
                .MapGet(Route, (bool? fail) => fail == true ? Results.Problem("bad", statusCode: 400) : Results.Ok(new { ok = true }))
                .Deprecated(Since, Sunset, Link)
                .WithName("TestDeprecatedRoute"));
            next(app);
        };
    }
}
