using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Taskee.Api.Identity.Issuer;
using Taskee.Grains.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Issuer;

/// <summary>A node whose wall clock the test moves, rotating its signing keys daily.</summary>
public sealed class RotationFixture() : IssuerFixture(Clock, new Dictionary<string, string?> { ["Auth:Issuer:RotationInterval"] = "1.00:00:00" })
{
    public static readonly ManualClock Clock = new(DateTimeOffset.UtcNow);
}

public sealed class RotationTests(RotationFixture fixture) : IClassFixture<RotationFixture>
{
    private async Task<IReadOnlyList<string>> PublishedKidsAsync() =>
        new JsonWebKeySet(await fixture.Anonymous().GetStringAsync("/.well-known/jwks.json")).Keys.Select(k => k.Kid).ToList();

    [Fact]
    public async Task Rotation_keeps_old_tokens_valid_until_they_expire_and_then_the_retired_key_leaves_the_jwks()
    {
        var keys = fixture.Node.Services.GetRequiredService<SigningKeys>();
        var store = fixture.Node.Services.GetRequiredService<IIssuerStore>();
        await keys.EnsureAsync(CancellationToken.None);
        var stored = await store.ListKeysAsync();
        var current = stored.Single(k => k.SignsFrom <= RotationFixture.Clock.GetUtcNow() && RotationFixture.Clock.GetUtcNow() < k.SignsUntil);
        var next = stored.Single(k => k.Generation == current.Generation + 1);
        // The successor is published a whole interval before it signs, so every JWKS cache has it in time.
        Assert.Contains(next.Kid, await PublishedKidsAsync());
        Assert.Equal(current.SignsUntil, next.SignsFrom);

        var orgId = await fixture.OrganisationAsync();
        RotationFixture.Clock.Set(current.SignsUntil - TimeSpan.FromMinutes(5));
        var old = (await fixture.SignedInAsync(orgId, "old@example.com")).Tokens.AccessToken;
        Assert.Equal(current.Kid, new JsonWebToken(old).Kid);

        RotationFixture.Clock.Set(current.SignsUntil + TimeSpan.FromMinutes(1));
        var fresh = (await fixture.SignedInAsync(orgId, "new@example.com")).Tokens.AccessToken;
        Assert.Equal(next.Kid, new JsonWebToken(fresh).Kid);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Bearer(old).GetAsync($"/v1/organisations/{orgId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Bearer(fresh).GetAsync($"/v1/organisations/{orgId}")).StatusCode);
        var published = await PublishedKidsAsync();
        Assert.Contains(current.Kid, published);
        Assert.Contains(next.Kid, published);
        // Signing with the new key stored its successor already.
        Assert.Contains((await store.ListKeysAsync()).Single(k => k.Generation == next.Generation + 1).Kid, published);

        // Every token of the retired key has expired (15 minutes, plus 5 minutes for validators' default skew).
        RotationFixture.Clock.Set(current.SignsUntil + TimeSpan.FromMinutes(21));
        published = await PublishedKidsAsync();
        Assert.DoesNotContain(current.Kid, published);
        Assert.Contains(next.Kid, published);
        await (await fixture.Bearer(old).GetAsync($"/v1/organisations/{orgId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
