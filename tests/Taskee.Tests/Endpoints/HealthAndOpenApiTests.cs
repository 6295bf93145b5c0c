using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed partial class HealthAndOpenApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_without_a_key(string path)
    {
        var response = await fixture.Node.Client(null).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_api()
    {
        var document = await fixture.Node.Client(null).GetJsonAsync("/openapi/v1.json");
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/v1/organisations", paths);
        Assert.Contains("/v1/organisations/{orgId}/limits/{metric}", paths);
        Assert.Contains("/v1/organisations/{orgId}/audit/export", paths);
        Assert.Contains("/v1/flags/{flagKey}", paths);
    }

    [Fact]
    public async Task The_openapi_page_is_scalars_reference_and_loads_only_local_assets()
    {
        var client = fixture.Node.Client(null);
        var response = await client.GetAsync("/openapi");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = response.RequestMessage!.RequestUri!; // Scalar answers at /openapi/ (a redirect from /openapi)
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("scalar", html, StringComparison.OrdinalIgnoreCase);

        // Scripts and links resolve against the page; the document sources against the site's root (scalar.aspnetcore.js).
        var assets = Attribute().Matches(html).Select(m => new Uri(page, m.Groups[1].Value))
            .Concat(Favicon().Matches(html).Select(m => new Uri(page, m.Groups[1].Value)))
            .Concat(Source().Matches(html).Select(m => new Uri(new Uri(page, "/"), m.Groups[1].Value)))
            .ToList();
        Assert.Contains(assets, a => a.AbsolutePath == "/openapi/v1.json");
        Assert.Contains(assets, a => a.AbsolutePath.EndsWith(".js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.Equal(page.Authority, asset.Authority); // nothing from a CDN
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(asset)).StatusCode);
        }
        Assert.DoesNotContain("://", string.Join(" ", Attribute().Matches(html).Select(m => m.Groups[1].Value)));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_mapped_endpoint_with_its_problem_responses()
    {
        var document = await fixture.Node.Client(null).GetJsonAsync("/openapi/v1.json");
        var described = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Operation: $"{o.Key.ToUpperInvariant()} {p.Key}", Responses: o.Value!["responses"]!.AsObject())))
            .ToList();

        var mapped = fixture.Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {DocumentPath(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(described.Select(d => d.Operation)));

        Assert.All(described, d =>
        {
            var problems = d.Responses.Where(r => r.Key[0] is '4' or '5').ToList();
            Assert.True(problems.Count > 0, $"{d.Operation} lists no error response.");
            Assert.All(problems, r => Assert.True(r.Value!["content"]?["application/problem+json"] is not null,
                $"{d.Operation} answers {r.Key} without an application/problem+json body."));
            Assert.True(d.Responses.ContainsKey("503"), $"{d.Operation} does not list 503.");
            if (d.Operation.Contains('{')) Assert.True(d.Responses.ContainsKey("404"), $"{d.Operation} does not list 404.");
        });
        var patch = described.Single(d => d.Operation == "PATCH /v1/organisations/{orgId}").Responses;
        Assert.All(new[] { "400", "401", "403", "404", "409", "412", "422", "429", "503" }, code => Assert.True(patch.ContainsKey(code), $"PATCH lacks {code}."));
        var anonymous = described.Single(d => d.Operation == "POST /webhooks/stripe").Responses;
        Assert.False(anonymous.ContainsKey("401")); // authenticated by its signature, not a key
    }

    /// <summary>A route as the document writes it: no constraints or defaults, no trailing slash.</summary>
    private static string DocumentPath(string route)
    {
        var path = RouteParameter().Replace(route, "{$1}").TrimEnd('/');
        return path.StartsWith('/') ? path : "/" + path;
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"(?:src|href)=""([^""]+)""")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"""favicon"":""([^""]+)""")]
    private static partial Regex Favicon();

    [GeneratedRegex(@"""url"":""([^""]+)""")]
    private static partial Regex Source();

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        var response = await fixture.Node.Admin().GetAsync("/v1/nothing-here");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
