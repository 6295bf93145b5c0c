using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Endpoints;

public sealed class HealthAndOpenApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
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
    public async Task The_openapi_page_is_served_without_external_assets()
    {
        var html = await fixture.Node.Client(null).GetStringAsync("/openapi");
        Assert.Contains("/openapi/v1.json", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        var response = await fixture.Node.Admin().GetAsync("/v1/nothing-here");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
