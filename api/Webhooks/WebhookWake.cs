using Taskee.Grains.Interfaces;

namespace Taskee.Api.Webhooks;

/// <summary>
/// Tells an endpoint's grain that its settings changed (url, events, enabled, secret, or the endpoint is gone), so it
/// reads them again at once instead of at its next sweep. A seam of its own so tests of the management API can see
/// which endpoints were woken without delivering anything.
/// </summary>
public interface IWebhookWake
{
    Task WakeAsync(string webhookId);
}

/// <summary>The one-way call to <see cref="IWebhookEndpointGrain.WakeAsync"/>: it returns once the message is sent.</summary>
public sealed class GrainWebhookWake(IGrainFactory grains) : IWebhookWake
{
    public Task WakeAsync(string webhookId) => grains.GetGrain<IWebhookEndpointGrain>(webhookId).WakeAsync();
}
