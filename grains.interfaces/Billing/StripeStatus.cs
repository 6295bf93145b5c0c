namespace Taskee.Grains.Billing;

/// <summary>Stripe's status names for subscriptions and disputes, and what they mean here.</summary>
public static class StripeStatus
{
    // Subscription statuses.
    public const string Trialing = "trialing";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Unpaid = "unpaid";
    public const string Canceled = "canceled";
    public const string Incomplete = "incomplete";
    public const string IncompleteExpired = "incomplete_expired";
    public const string Paused = "paused";

    // Dispute statuses.
    public const string Won = "won";
    public const string Lost = "lost";
    public const string WarningClosed = "warning_closed";
    public const string Prevented = "prevented";

    /// <summary>A subscription in this status is over for good: Stripe never revives it.</summary>
    public static bool IsEnded(string subscriptionStatus) => subscriptionStatus is Canceled or IncompleteExpired;

    /// <summary>A dispute in this status is decided; any other status (needs_response, under_review, warning_*) is open.</summary>
    public static bool IsClosed(string disputeStatus) => disputeStatus is Won or Lost or WarningClosed or Prevented;
}
