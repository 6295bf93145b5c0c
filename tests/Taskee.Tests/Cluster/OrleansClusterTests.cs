using Orleans.TestingHost;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Cluster;

[Trait("Category", "Cluster")]
public sealed class OrleansClusterTests(OrleansClusterFixture fixture) : IClassFixture<OrleansClusterFixture>
{
    private static readonly ChangeContext Admin = new(new AuditActor("apiKey", "test"), null, null);

    private async Task<string> CreateAsync(long aiCallsLimit)
    {
        var id = TestApi.NewOrgId("tc");
        var now = DateTimeOffset.UtcNow;
        var organisation = OrganisationStamp.First(new Organisation(id, id, "pro", OrganisationStatus.Active,
            System.Collections.Immutable.ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal).Add(Metrics.AiCalls, aiCallsLimit),
            System.Collections.Immutable.ImmutableSortedDictionary.Create<string, bool>(StringComparer.Ordinal), null, 1, now, now), now);
        var created = await fixture.Cluster.GrainFactory.GetGrain<IOrganisationGrain>(id).CreateAsync(organisation, new AuditRecord("org.created", $"organisations/{id}", null, "{}"), Admin);
        Assert.Equal(WriteStatus.Done, created.Status);
        return id;
    }

    private IReadOnlyList<SiloHandle> Active => fixture.Cluster.GetActiveSilos().ToList();

    [Fact]
    public async Task A_limit_of_300_consumed_from_all_silos_with_600_attempts_allows_exactly_300()
    {
        var id = await CreateAsync(300);
        var silos = Active;
        Assert.Equal(3, silos.Count);

        var allowed = await Task.WhenAll(Enumerable.Range(0, 30).Select(async worker =>
        {
            var grain = fixture.GrainsOf(silos[worker % silos.Count]).GetGrain<IOrganisationGrain>(id);
            var count = 0;
            for (var i = 0; i < 20; i++) count += (await grain.ConsumeAsync(Metrics.AiCalls, 1)).Allowed ? 1 : 0;
            return count;
        }));

        Assert.Equal(300, allowed.Sum());
        var usage = await fixture.GrainsOf(silos[2]).GetGrain<IOrganisationGrain>(id).GetUsageAsync();
        Assert.Equal(300, usage![Metrics.AiCalls].Used);
    }

    [Fact]
    public async Task A_settings_change_through_one_silo_is_the_answer_of_every_silo_at_once()
    {
        var id = await CreateAsync(1000);
        var silos = Active;
        var grain = fixture.GrainsOf(silos[0]).GetGrain<IOrganisationGrain>(id);
        var current = (await grain.GetOrganisationAsync())!;
        var updated = OrganisationStamp.Next(current, current with { LimitOverrides = current.LimitOverrides.SetItem(Metrics.AiCalls, 7) }, DateTimeOffset.UtcNow);

        var result = await grain.CommitAsync(current.Version, updated, new AuditRecord("org.limit.set", $"organisations/{id}/limits/ai_calls", null, null), Admin);

        Assert.Equal(WriteStatus.Done, result.Status);
        foreach (var silo in silos)
        {
            var entitlements = await fixture.GrainsOf(silo).GetGrain<IOrganisationGrain>(id).GetEntitlementsAsync();
            Assert.Equal(7, entitlements!.Limits[Metrics.AiCalls].Limit);
        }
    }

    [Fact]
    public async Task A_silo_killed_mid_load_never_over_admits_and_its_organisation_answers_again_from_another_silo()
    {
        const long limit = 400;
        var id = await CreateAsync(limit);
        var victimAddress = await fixture.Cluster.GrainFactory.GetGrain<IOrganisationGrain>(id).GetSiloAsync();
        var victim = Active.Single(s => s.SiloAddress.ToString() == victimAddress);
        var survivor = Active.First(s => s != victim);
        var grains = fixture.GrainsOf(survivor);

        long allowed = 0;
        for (var i = 0; i < 100; i++) allowed += (await grains.GetGrain<IOrganisationGrain>(id).ConsumeAsync(Metrics.AiCalls, 1)).Allowed ? 1 : 0;
        await fixture.Cluster.KillSiloAsync(victim);

        // Until membership declares the victim dead, calls fail (the API answers 503); never an allow that was not counted.
        var failures = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        UsageResult last = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await grains.GetGrain<IOrganisationGrain>(id).ConsumeAsync(Metrics.AiCalls, 1);
                if (last.Allowed) allowed++;
                else break;
            }
            catch (Exception)
            {
                failures++;
                await Task.Delay(100);
            }
        }

        Assert.Equal(UsageReason.LimitReached, last.Reason);
        Assert.NotEqual(victimAddress, await grains.GetGrain<IOrganisationGrain>(id).GetSiloAsync());
        Assert.True(allowed <= limit, $"allowed {allowed} of {limit}");
        // What the dead activation had reserved but not admitted counts as used: at most one reservation (Quota:MaxLease 20).
        Assert.InRange(limit - allowed, 0, 20);
    }
}
