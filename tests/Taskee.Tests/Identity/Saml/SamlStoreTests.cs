using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>The SAML store on the real database: request ids answer once, before they expire; assertion ids once.</summary>
public sealed class SamlStoreTests(SamlNodeFixture fixture) : IClassFixture<SamlNodeFixture>
{
    private readonly ISamlStore _store = fixture.Node.Services.GetRequiredService<ISamlStore>();

    [Fact]
    public async Task A_request_is_consumed_once_by_its_own_organisation_and_not_after_it_expires()
    {
        var now = DateTimeOffset.UtcNow;
        var org = TestApi.NewOrgId("saml");
        var live = new PendingSamlRequest("_" + Guid.NewGuid().ToString("N"), org, "/console", now.AddMinutes(10));
        var expired = new PendingSamlRequest("_" + Guid.NewGuid().ToString("N"), org, "/console", now.AddSeconds(-1));
        await _store.RememberRequestAsync(live);
        await _store.RememberRequestAsync(expired);

        Assert.Null(await _store.ConsumeRequestAsync("other-org", live.RequestId, now));
        Assert.Equal("/console", (await _store.ConsumeRequestAsync(org, live.RequestId, now))?.ReturnTo);
        Assert.Null(await _store.ConsumeRequestAsync(org, live.RequestId, now));
        Assert.Null(await _store.ConsumeRequestAsync(org, expired.RequestId, now));
    }

    [Fact]
    public async Task Of_concurrent_consumers_of_one_request_exactly_one_gets_it()
    {
        var now = DateTimeOffset.UtcNow;
        var org = TestApi.NewOrgId("saml");
        var request = new PendingSamlRequest("_" + Guid.NewGuid().ToString("N"), org, "/", now.AddMinutes(10));
        await _store.RememberRequestAsync(request);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.ConsumeRequestAsync(org, request.RequestId, now))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task An_assertion_id_is_recorded_once_until_its_keep_time_has_passed()
    {
        var org = TestApi.NewOrgId("saml");
        var id = "_" + Guid.NewGuid().ToString("N");
        Assert.True(await _store.RecordAssertionAsync(org, id, DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.False(await _store.RecordAssertionAsync(org, id, DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.True(await _store.RecordAssertionAsync("other-org", id, DateTimeOffset.UtcNow.AddMinutes(5)));

        var stale = "_" + Guid.NewGuid().ToString("N");
        Assert.True(await _store.RecordAssertionAsync(org, stale, DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.True(await _store.RecordAssertionAsync(org, stale, DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task Purging_removes_expired_requests_and_assertion_ids_and_keeps_live_ones()
    {
        var now = DateTimeOffset.UtcNow;
        var org = TestApi.NewOrgId("saml");
        var live = new PendingSamlRequest("_" + Guid.NewGuid().ToString("N"), org, "/", now.AddMinutes(10));
        await _store.RememberRequestAsync(live);
        await _store.RememberRequestAsync(new PendingSamlRequest("_" + Guid.NewGuid().ToString("N"), org, "/", now.AddMinutes(-1)));
        var kept = "_" + Guid.NewGuid().ToString("N");
        await _store.RecordAssertionAsync(org, kept, now.AddMinutes(10));
        await _store.RecordAssertionAsync(org, "_" + Guid.NewGuid().ToString("N"), now.AddMinutes(-1));

        Assert.True(await _store.PurgeAsync(now) >= 2);

        Assert.False(await _store.RecordAssertionAsync(org, kept, now.AddMinutes(10)));
        Assert.NotNull(await _store.ConsumeRequestAsync(org, live.RequestId, now));
    }
}
