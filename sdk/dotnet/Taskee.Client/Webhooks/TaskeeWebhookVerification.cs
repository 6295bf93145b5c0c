namespace Taskee.Client.Webhooks;

/// <summary>Why a webhook was refused.</summary>
public enum TaskeeWebhookFailure
{
    None,
    /// <summary>A <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> header is missing or empty (400).</summary>
    MissingHeaders,
    /// <summary><c>webhook-timestamp</c> is not whole seconds since the Unix epoch (400).</summary>
    InvalidTimestamp,
    /// <summary>The timestamp is older than the tolerance: a replay or a very late retry (401).</summary>
    Stale,
    /// <summary>The timestamp is further ahead than the tolerance (401).</summary>
    FromTheFuture,
    /// <summary>No <c>v1</c> signature matches any configured secret: wrong secret, or the body, id or timestamp changed (401).</summary>
    NoMatchingSignature,
    /// <summary>Correctly signed, but the body is not UTF-8 JSON of the shape <c>{type, id, timestamp, data}</c> (400).</summary>
    InvalidBody,
}

/// <summary>The outcome of <see cref="TaskeeWebhookVerifier.Verify(string?, string?, string?, string)"/>: the event, or why not.</summary>
public sealed record TaskeeWebhookVerification(TaskeeWebhookEvent? Event, TaskeeWebhookFailure Failure, string Detail)
{
    public bool IsValid => Event is not null;

    /// <summary>The HTTP status a receiver answers a refusal with: 400 for a malformed request, 401 for one not proven to come from Taskee.</summary>
    public int Status => Failure switch
    {
        TaskeeWebhookFailure.None => 200,
        TaskeeWebhookFailure.Stale or TaskeeWebhookFailure.FromTheFuture or TaskeeWebhookFailure.NoMatchingSignature => 401,
        _ => 400,
    };

    /// <summary>The failure as a problem's <c>reason</c>: snake_case, stable.</summary>
    public string Reason => Failure switch
    {
        TaskeeWebhookFailure.MissingHeaders => "missing_headers",
        TaskeeWebhookFailure.InvalidTimestamp => "invalid_timestamp",
        TaskeeWebhookFailure.Stale => "timestamp_too_old",
        TaskeeWebhookFailure.FromTheFuture => "timestamp_too_new",
        TaskeeWebhookFailure.NoMatchingSignature => "no_matching_signature",
        TaskeeWebhookFailure.InvalidBody => "invalid_body",
        _ => "ok",
    };

    internal static TaskeeWebhookVerification Refused(TaskeeWebhookFailure failure, string detail) => new(null, failure, detail);
}
