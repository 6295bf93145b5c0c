using System.Text.Json.Serialization;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Storage;

namespace Taskee.Api.Privacy;

/// <summary>Who a request is about: exactly one of the three.</summary>
public sealed record PrivacySubject(string? Email, string? MemberId, string? ScimExternalId);

/// <summary><c>POST .../privacy/requests</c> <c>{kind: access|erasure, subject: {email | memberId | scimExternalId}}</c>.</summary>
public sealed record FilePrivacyRequest(string? Kind, PrivacySubject? Subject) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Kind is not (PrivacyRequestKinds.Access or PrivacyRequestKinds.Erasure))
            errors.Add("kind", "kind is required: 'access' (a bundle of what is stored about the person) or 'erasure'.");
        var given = new[] { Subject?.Email, Subject?.MemberId, Subject?.ScimExternalId }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1)
            errors.Add("subject", "subject must name the person by exactly one of email, memberId or scimExternalId.");
        else if (new[] { Subject!.Email, Subject.MemberId, Subject.ScimExternalId }.Any(v => v is { Length: > 254 }))
            errors.Add("subject", "subject values are at most 254 characters.");
    }
}

public sealed record PrivacyRequestAccepted(string Id, string Status);

public sealed record ChainHeadAfter(long Seq, string Hash);

/// <summary>
/// What an erasure removed, when, and the organisation's audit chain head right after it; <see cref="Jws"/> is the same
/// facts signed (ES256) by one of Taskee's keys published at <c>/.well-known/jwks.json</c>.
/// </summary>
public sealed record ErasureReceipt(
    string RequestId, string OrgId, DateTimeOffset ErasedAt, ErasureCounts Erased, ChainHeadAfter ChainHead, string Stripe, string Crm,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Jws);

public sealed record AccessBundleLinks(string Json, string AuditEventsCsv);

public sealed record PrivacyRequestResponse(
    string Id, string OrgId, string Kind, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? Error,
    AccessBundleLinks? Bundle, ErasureReceipt? Receipt);
