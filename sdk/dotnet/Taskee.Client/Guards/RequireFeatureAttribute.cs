namespace Taskee.Client.Guards;

/// <summary>
/// The endpoint answers only organisations whose entitlements enable the feature; others get 403 with a problem naming
/// the feature and the reason. On a minimal API handler, an MVC action or controller; enforced by <c>UseTaskeeGuards()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequireFeatureAttribute(string feature) : Attribute
{
    public string Feature { get; } = feature;
}

/// <summary>The endpoint consumes an amount of a metric before its handler runs; set by <c>.ConsumesQuota(...)</c>.</summary>
public sealed record ConsumesQuotaMetadata(string Metric, long Amount);
