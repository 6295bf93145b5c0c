namespace Taskee.Client.Webhooks;

/// <summary>How a receiver verifies the control plane's webhooks.</summary>
public sealed class TaskeeWebhookOptions
{
    /// <summary>
    /// The endpoint's signing secrets (<c>whsec_...</c>), as shown when the webhook was created or its secret rotated. One
    /// normally; during a rotation put the new one beside the old one, and drop the old one when the grace period ends. A
    /// message is genuine when any of its signatures matches any of these.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>How far <c>webhook-timestamp</c> may be from now, either way; 5 minutes, as Standard Webhooks recommends.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest body read; a larger one is refused with 413 before it is verified. 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The clock the tolerance is measured against; the system clock unless a test or host sets another.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
