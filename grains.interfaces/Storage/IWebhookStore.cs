using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Storage;

/// <summary>
/// Outgoing webhook endpoints as an organisation's admins manage them. Every write names the organisation, so another
/// tenant's endpoint id matches nothing, and appends its audit event in the same transaction.
/// </summary>
public interface IWebhookStore
{
    /// <summary>
    /// Stores a new endpoint, its secret (protected at rest) and its audit event. Its cursor starts at that audit event:
    /// the endpoint receives the changes committed after it was created.
    /// </summary>
    Task CreateAsync(WebhookEndpoint endpoint, string secret, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    Task<WebhookEndpoint?> FindAsync(string orgId, string webhookId, CancellationToken ct = default);

    /// <summary>The organisation's endpoints, oldest first.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string orgId, CancellationToken ct = default);

    /// <summary>
    /// Writes <paramref name="updated"/>'s url, events, description, enabled and disabled reason (as version
    /// <paramref name="baseVersion"/> + 1) when the endpoint is still at <paramref name="baseVersion"/>.
    /// Enabling an endpoint clears its failing message's retry state, so delivery resumes at once.
    /// </summary>
    Task<WriteResult<WebhookEndpoint>> UpdateAsync(long baseVersion, WebhookEndpoint updated, AuditRecord audit, ChangeContext context,
        CancellationToken ct = default);

    /// <summary>Deletes the endpoint and its delivery attempts; false when there is no such endpoint of that organisation.</summary>
    Task<bool> DeleteAsync(string orgId, string webhookId, AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>Makes <paramref name="newSecret"/> current; the current one signs beside it until <paramref name="previousExpiresAt"/>.</summary>
    Task<WriteResult<WebhookEndpoint>> RotateSecretAsync(string orgId, string webhookId, string newSecret, DateTimeOffset previousExpiresAt,
        AuditRecord audit, ChangeContext context, CancellationToken ct = default);

    /// <summary>The endpoint's secrets in the clear; null when there is no such endpoint.</summary>
    Task<WebhookSecrets?> GetSecretsAsync(string webhookId, CancellationToken ct = default);
}
