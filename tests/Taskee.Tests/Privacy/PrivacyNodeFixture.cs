using Taskee.Tests.Identity.Issuer;

namespace Taskee.Tests.Privacy;

/// <summary>A node that signs people in (issuer) and delivers webhooks to loopback receivers, for data-subject requests end to end.</summary>
public sealed class PrivacyNodeFixture() : IssuerFixture(null, new Dictionary<string, string?>
{
    ["Webhooks:AllowInsecureUrls"] = "true",
    ["Webhooks:AllowPrivateTargets"] = "true",
    ["Webhooks:SweepInterval"] = "00:00:01",
});
