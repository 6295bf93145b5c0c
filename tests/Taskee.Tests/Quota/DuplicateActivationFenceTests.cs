using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Taskee.Grains.Interfaces;
using Taskee.Grains;
using Taskee.Grains.Quota;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

/// <summary>
/// Two writers of one organisation's usage state, as two activations during a membership change would be: the state
/// write is a compare-and-swap on its ETag, so the writer that comes second stops admitting, and the limit holds.
/// </summary>
public sealed class DuplicateActivationFenceTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static GrainId GrainOf(string orgId) => GrainId.Create(OrganisationGrain.OrganisationGrainType, orgId);

    private IGrainStorage Storage => fixture.Node.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.UsageStorage);

    [Fact]
    public async Task Two_writes_with_the_same_etag_the_second_is_refused()
    {
        var id = TestApi.NewOrgId("fence");
        var first = new GrainState<UsageState>(new UsageState());
        var second = new GrainState<UsageState>(new UsageState());
        await Storage.ReadStateAsync("usage", GrainOf(id), first);
        await Storage.ReadStateAsync("usage", GrainOf(id), second);

        await Storage.WriteStateAsync("usage", GrainOf(id), first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("usage", GrainOf(id), second));
    }

    [Fact]
    public async Task An_activation_whose_reservation_write_conflicts_stops_admitting_and_the_limit_holds()
    {
        const long limit = 100;
        var admin = fixture.Node.Admin();
        var id = TestApi.NewOrgId("fence");
        await admin.CreateOrganisationAsync(id);
        await admin.SetLimitAsync(id, "storage_bytes", limit);
        long allowed = 0;
        for (var i = 0; i < 10; i++) allowed += (await admin.UsageAsync(id, "storage_bytes", "consume", 1))["allowed"]!.GetValue<bool>() ? 1 : 0;
        await fixture.Node.FlushAsync();

        // The other activation: it read the same state, took what the first had reserved as used (as every activation
        // starts), reserved 50 more and admits them all, behind the first one's back.
        const long admittedElsewhere = 50;
        var other = new GrainState<UsageState>(new UsageState());
        await Storage.ReadStateAsync("usage", GrainOf(id), other);
        var counter = other.State!.Counters["storage_bytes"];
        counter.Used = Math.Max(counter.Used, counter.Reserved) + admittedElsewhere;
        counter.Reserved = counter.Used;
        await Storage.WriteStateAsync("usage", GrainOf(id), other);

        var unavailable = 0;
        while (true)
        {
            var answer = await admin.UsageAsync(id, "storage_bytes", "consume", 1);
            if (answer["allowed"]!.GetValue<bool>()) allowed++;
            else if (answer["reason"]!.GetValue<string>() == "ledger_unavailable") unavailable++;
            else break;
            Assert.True(allowed + unavailable < 1000, "the organisation never reached its limit");
        }

        Assert.True(unavailable >= 1, "the fenced activation refused at least once before it was replaced");
        Assert.True(allowed + admittedElsewhere <= limit, $"{allowed} allowed here + {admittedElsewhere} elsewhere > limit {limit}");
        Assert.True(allowed + admittedElsewhere >= limit - 20, $"only {allowed} + {admittedElsewhere} admitted of {limit}: more was stranded than a few reservations");
    }
}
