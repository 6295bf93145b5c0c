using Microsoft.Extensions.Options;

namespace Taskee.Grains.Quota;

/// <summary>Cross-field rule: a lease must outlive several flushes, or active leases would expire between renewals.</summary>
public sealed class QuotaOptionsValidator : IValidateOptions<QuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, QuotaOptions options) =>
        options.LeaseTtl < options.FlushInterval * 4
            ? ValidateOptionsResult.Fail(
                $"Quota:LeaseTtl ({options.LeaseTtl}) must be at least 4 x Quota:FlushInterval ({options.FlushInterval}); raise LeaseTtl or lower FlushInterval.")
            : ValidateOptionsResult.Success;
}
