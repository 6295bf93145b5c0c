using System.Net;
using Taskee.Tests.Identity;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>Leads belong to platform roles: support reads them, only a platform admin changes them.</summary>
public sealed class LeadPlatformRoleTests(JwtFixture fixture) : IClassFixture<JwtFixture>
{
    [Fact]
    public async Task Platform_support_reads_leads_and_cannot_change_them()
    {
        var support = fixture.Node.Client(fixture.Platform.Token(null, ["platform-support"]));

        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/v1/leads")).StatusCode);
        await (await support.GetAsync("/v1/leads/lead_none")).AssertProblemAsync(HttpStatusCode.NotFound);
        var refused = await (await support.PatchAsync("/v1/leads/lead_none", TestApi.Json(new { status = "lost" }))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("platform:leads:write", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
