using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

public sealed class UsedDuringFlushTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Used_never_drops_while_consumption_is_being_reported()
    {
        var admin = fixture.Node.Admin();
        var id = TestApi.NewOrgId("u");
        await admin.CreateOrganisationAsync(id);
        long expected = 0;

        // Reports run concurrently with these reads; a read in between must still count what was reported.
        var flushing = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++) await fixture.Node.FlushAsync();
        });
        for (var i = 0; i < 60; i++)
        {
            expected += 2;
            var used = (await admin.UsageAsync(id, "ai_calls", "consume", 2))["used"]!.GetValue<long>();
            Assert.Equal(expected, used);
            var check = (await admin.UsageAsync(id, "ai_calls", "check", 1))["used"]!.GetValue<long>();
            Assert.Equal(expected, check);
        }
        await flushing;
    }
}
