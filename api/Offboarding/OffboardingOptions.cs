using Microsoft.Extensions.Options;

namespace Taskee.Api.Offboarding;

/// <summary>
/// Configuration section <c>Privacy</c>, offboarding's part: how long an offboarded organisation's export stays
/// downloadable (and the organisation blocked) before its data is deleted.
/// </summary>
public sealed class OffboardingOptions
{
    public const string Section = "Privacy";

    public static readonly TimeSpan MinWindow = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(365);

    public TimeSpan OffboardingWindow { get; set; } = TimeSpan.FromDays(30);
}

public sealed class OffboardingOptionsValidator : IValidateOptions<OffboardingOptions>
{
    public ValidateOptionsResult Validate(string? name, OffboardingOptions o) =>
        o.OffboardingWindow >= OffboardingOptions.MinWindow && o.OffboardingWindow <= OffboardingOptions.MaxWindow
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Privacy:OffboardingWindow is {o.OffboardingWindow}; set it between 1.00:00:00 and 365.00:00:00 (days.hours:minutes:seconds): "
                + "how long an offboarded organisation's export stays downloadable before its data is deleted. Leave it unset for 30 days.");
}
