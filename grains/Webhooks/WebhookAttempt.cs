namespace Taskee.Grains.Webhooks;

/// <summary>The outcome names of an attempt, as stored and shown.</summary>
public static class WebhookOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The receiver answered another status (a 3xx too: redirects are not followed).</summary>
    public const string Failed = "failed";

    /// <summary>No complete answer within <c>Webhooks:Timeout</c>.</summary>
    public const string Timeout = "timeout";

    /// <summary>No connection: the name did not resolve, the connection was refused or reset, TLS failed.</summary>
    public const string Refused = "refused";

    /// <summary>The target resolves to an address webhooks may not reach (private, loopback, link-local).</summary>
    public const string Blocked = "blocked";
}

/// <summary>What caused an attempt.</summary>
public static class WebhookTrigger
{
    public const string Log = "log";
    public const string Retry = "retry";
    public const string Redeliver = "redeliver";
    public const string Replay = "replay";
    public const string Test = "test";
}

/// <summary>What one HTTP attempt came to.</summary>
/// <param name="ResponseExcerpt">At most the first 1 KB of the response body, as text.</param>
public sealed record WebhookAttemptResult(string Outcome, int? StatusCode, long LatencyMs, string? ResponseExcerpt, string? Error)
{
    public bool Succeeded => Outcome == WebhookOutcome.Succeeded;
}
