using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Crm;

/// <summary>
/// A CRM that leads are handed to. <see cref="UpsertAsync"/> must be idempotent by lead id: the outbox retries a delivery
/// whose answer it did not see, so a second call with the same lead updates what the first created, never adds another.
/// </summary>
public interface ICrmAdapter
{
    /// <summary>The <c>Crm:Provider</c> value that selects this adapter.</summary>
    string Provider { get; }

    /// <summary>Creates or updates the lead in the CRM; returns the CRM's id for it, when the CRM gives one.</summary>
    /// <param name="deliveryId">The outbox row's id: the same on every retry of this hand-off.</param>
    /// <exception cref="CrmDeliveryException">The CRM refused or failed; the outbox tries again later.</exception>
    Task<string?> UpsertAsync(LeadRecord lead, string deliveryId, CancellationToken ct);
}

/// <summary>A CRM answered, but not with success: the message says what it answered (never a secret).</summary>
public sealed class CrmDeliveryException(string message) : Exception(message)
{
    /// <summary>For a non-success HTTP answer: the status, and the start of the body (CRMs explain themselves there).</summary>
    public static async Task<CrmDeliveryException> FromAsync(string call, HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        var start = body.Length > 300 ? body[..300] + "…" : body;
        return new CrmDeliveryException($"{call} answered {(int)response.StatusCode} {response.ReasonPhrase}: {start}");
    }
}
