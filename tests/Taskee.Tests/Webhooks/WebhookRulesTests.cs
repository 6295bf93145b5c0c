using System.Net;
using Taskee.Grains.Interfaces;

namespace Taskee.Tests.Webhooks;

/// <summary>The pure rules under webhooks: which addresses are public, which event types a filter selects.</summary>
public sealed class WebhookRulesTests
{
    public static TheoryData<string, bool> Addresses => new()
    {
        { "93.184.215.14", true },
        { "8.8.8.8", true },
        { "1.1.1.1", true },
        { "172.32.0.1", true },
        { "100.128.0.1", true },
        { "2606:4700:4700::1111", true },
        { "127.0.0.1", false },
        { "127.255.255.254", false },
        { "0.0.0.0", false },
        { "10.0.0.1", false },
        { "172.16.0.1", false },
        { "172.31.255.255", false },
        { "192.168.0.1", false },
        { "169.254.169.254", false },
        { "100.64.0.1", false },
        { "192.0.0.8", false },
        { "192.0.2.1", false },
        { "198.18.0.1", false },
        { "198.51.100.1", false },
        { "203.0.113.1", false },
        { "224.0.0.1", false },
        { "255.255.255.255", false },
        { "::1", false },
        { "::", false },
        { "fe80::1", false },
        { "fc00::1", false },
        { "fd12:3456::1", false },
        { "ff02::1", false },
        { "2001:db8::1", false },
        { "64:ff9b::a00:1", false },
        { "::ffff:127.0.0.1", false },
        { "::ffff:10.0.0.1", false },
        { "::ffff:169.254.169.254", false },
        { "::ffff:93.184.215.14", true },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void An_address_is_public_unless_it_is_loopback_private_link_local_or_reserved(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargets.IsPublic(IPAddress.Parse(address)));

    public static TheoryData<string[], string, bool> Filters => new()
    {
        { ["*"], "org.limit.set", true },
        { ["*"], "webhook.test", true },
        { ["org.limit.set"], "org.limit.set", true },
        { ["org.limit.set"], "org.limit.reset", false },
        { ["org.*"], "org.limit.set", true },
        { ["org.*"], "org.created", true },
        { ["org.*"], "organisation.created", false },
        { ["org.limit.*"], "org.limit.reset", true },
        { ["org.limit.*"], "org.feature.set", false },
        { ["quota.*", "member.added"], "member.added", true },
        { ["quota.*", "member.added"], "member.removed", false },
        { ["quota.*", "member.added"], "quota.exhausted", true },
        { ["billing.*"], "billing", false },
        { ["org"], "org.created", false },
        { [], "org.created", false },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void A_filter_selects_exact_types_types_under_a_prefix_and_everything_for_a_star(string[] filters, string eventType, bool matches) =>
        Assert.Equal(matches, WebhookEventFilter.Matches(filters, eventType));
}
