using System.Net;
using Taskee.Api.Identity.Saml;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>A node whose wall clock the test moves.</summary>
public sealed class SamlClockFixture() : SamlNodeFixture(Clock)
{
    public static readonly ManualClock Clock = new(DateTimeOffset.UtcNow);
}

public sealed class SamlRequestLifetimeTests(SamlClockFixture fixture) : IClassFixture<SamlClockFixture>
{
    private static readonly TimeSpan Lifetime = new SamlOptions().RequestLifetime;

    /// <summary>The IdP's answer to <paramref name="requestId"/>, valid around the node's clock (the IdP's clock agrees).</summary>
    private static SamlResponseSpec AnswerTo(SamlTestOrg org, string requestId) => org.Spec() with
    {
        InResponseTo = requestId,
        NotBefore = SamlClockFixture.Clock.GetUtcNow().AddMinutes(-1),
        NotOnOrAfter = SamlClockFixture.Clock.GetUtcNow().AddMinutes(5),
    };

    [Fact]
    public async Task An_answer_that_comes_after_the_authn_request_expired_is_refused_and_one_just_in_time_is_accepted()
    {
        var start = DateTimeOffset.UtcNow;
        SamlClockFixture.Clock.Set(start);
        using var org = await SamlTestOrg.CreateAsync(fixture, allowIdpInitiated: false);
        var (_, late, _) = await org.LoginAsync();
        var (_, inTime, relayState) = await org.LoginAsync("/console/in-time");

        SamlClockFixture.Clock.Set(start + Lifetime + TimeSpan.FromSeconds(1));
        var refused = await org.PostAsync(org.Idp.SignedAssertion(AnswerTo(org, late.DocumentElement!.GetAttribute("ID"))));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await org.AssertRefusedAsync(refused, "expired");

        SamlClockFixture.Clock.Set(start + Lifetime - TimeSpan.FromSeconds(5));
        var accepted = await org.PostAsync(org.Idp.SignedAssertion(AnswerTo(org, inTime.DocumentElement!.GetAttribute("ID"))), relayState, json: false);
        Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
        Assert.Equal("/console/in-time", accepted.Headers.Location!.OriginalString);
        Assert.Single(await fixture.MembersAsync(org.Id));
    }
}
