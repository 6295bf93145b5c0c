using Microsoft.Extensions.Options;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Billing;

/// <summary>Rules of the billing settings that data annotations cannot say.</summary>
public sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (!OrganisationId.IsValid(options.FreePlan))
            failures.Add($"Billing:FreePlan is '{options.FreePlan}'; set it to the id of the plan a cancelled organisation falls to, e.g. 'starter'.");
        foreach (var feature in options.EffectiveDisputeRestrictedFeatures.Where(f => !Features.IsValidKey(f)))
            failures.Add($"Billing:DisputeRestrictedFeatures has '{feature}', which is not a feature key (a-z, 0-9, '_', '-', '.'; e.g. 'api_access').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
