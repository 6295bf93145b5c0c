using System.Net;

namespace Taskee.Grains.Webhooks;

/// <summary>Thrown at connect time when every address of a webhook's host is one webhooks may not reach.</summary>
public sealed class WebhookTargetRefusedException(string host, IReadOnlyList<IPAddress> addresses)
    : Exception($"The host '{host}' resolves to {string.Join(", ", addresses)}, which is not a public address; webhooks are not sent to private, "
        + "loopback or link-local addresses (Webhooks:AllowPrivateTargets=true allows them, for development only).");
