using System.ComponentModel.DataAnnotations;
using Taskee.Grains.Billing;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Billing;

/// <summary>Configuration section <c>Billing</c>: the billing policy and its schedules. Stripe's own settings are <see cref="StripeOptions"/>.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>The features an open dispute switches off when <see cref="DisputeRestrictedFeatures"/> is not set.</summary>
    public static readonly IReadOnlyList<string> DefaultDisputeRestrictedFeatures = [Features.ApiAccess, Features.AdvancedReports];

    /// <summary>Days an organisation keeps working after Stripe stopped retrying a failed payment, before it is suspended.</summary>
    [Range(0, 90, ErrorMessage = "Billing:GraceDays must be between 0 and 90.")]
    public int GraceDays { get; set; } = 7;

    /// <summary>
    /// Features switched off while a dispute is open. Unset: <c>api_access</c> and <c>advanced_reports</c>. A list in
    /// configuration (<c>Billing__DisputeRestrictedFeatures__0=api_access</c>); one empty entry restricts nothing.
    /// </summary>
    public string[]? DisputeRestrictedFeatures { get; set; }

    /// <summary>The plan an organisation falls to when its subscription ends: the free level.</summary>
    public string FreePlan { get; set; } = "starter";

    /// <summary>How often every linked subscription is re-read from Stripe and drift corrected (needs Billing:Stripe:ApiKey).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Billing:ReconcileInterval must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often deadlines are checked: grace that ran out, a period that ended with the subscription set to cancel.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Billing:CheckInterval must be between 00:00:01 and 01:00:00.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<string> EffectiveDisputeRestrictedFeatures =>
        DisputeRestrictedFeatures is null
            ? DefaultDisputeRestrictedFeatures
            : DisputeRestrictedFeatures.Where(f => !string.IsNullOrWhiteSpace(f)).Distinct(StringComparer.Ordinal).ToList();

    public BillingPolicy ToPolicy() => new(TimeSpan.FromDays(GraceDays), EffectiveDisputeRestrictedFeatures, FreePlan);
}
