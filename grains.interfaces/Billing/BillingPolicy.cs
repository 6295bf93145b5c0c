namespace Taskee.Grains.Billing;

/// <summary>
/// The business rules billing applies, from configuration.
/// </summary>
/// <param name="Grace">How long an organisation keeps working after Stripe stopped retrying a failed payment.</param>
/// <param name="DisputeRestrictedFeatures">Features switched off while a dispute is open.</param>
/// <param name="FreePlan">The plan an organisation falls to when its subscription ends.</param>
public sealed record BillingPolicy(TimeSpan Grace, IReadOnlyList<string> DisputeRestrictedFeatures, string FreePlan);
