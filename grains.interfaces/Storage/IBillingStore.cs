namespace Taskee.Grains.Storage;

/// <summary>An organisation linked to a Stripe customer.</summary>
public sealed record LinkedOrganisation(string OrgId, string CustomerId);

/// <summary>
/// Look-ups billing needs across organisations: by Stripe customer, by Stripe object (charge, payment intent,
/// subscription), organisations whose billing decision is due, and a lease per scheduled job so one node runs it.
/// The billing facts themselves live with the organisation and change through <see cref="IOrganisationStore.UpdateAsync"/>.
/// </summary>
public interface IBillingStore
{
    Task<string?> FindByCustomerAsync(string customerId, CancellationToken ct = default);

    /// <summary>The organisation a Stripe object (ch_, pi_, sub_, in_) was seen with.</summary>
    Task<string?> FindByObjectAsync(string objectId, CancellationToken ct = default);

    /// <summary>Remembers which organisation a Stripe object belongs to; the first organisation stays.</summary>
    Task RememberAsync(IEnumerable<string> objectIds, string orgId, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Organisations whose billing decision changes by time at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct = default);

    /// <summary>Linked organisations ordered by id, after <paramref name="afterId"/> (keyset paging).</summary>
    Task<IReadOnlyList<LinkedOrganisation>> ListLinkedAsync(string? afterId, int limit, CancellationToken ct = default);

    Task<int> CountLinkedAsync(CancellationToken ct = default);

    /// <summary>
    /// True when this caller may run <paramref name="job"/> now: nobody started it within <paramref name="interval"/>.
    /// Records the start, so of several nodes one runs it.
    /// </summary>
    Task<bool> TryStartJobAsync(string job, DateTimeOffset now, TimeSpan interval, CancellationToken ct = default);
}
