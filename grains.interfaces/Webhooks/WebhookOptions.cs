using System.ComponentModel.DataAnnotations;

namespace Taskee.Grains.Interfaces;

/// <summary>Configuration section <c>Webhooks</c>: outgoing webhook delivery.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>After a secret rotation the previous secret keeps signing beside the new one this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Webhooks:RotationGrace must be between 00:00:00 and 30.00:00:00.")]
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>One delivery attempt waits this long for the receiver's answer (connect, headers and the first 1 KB).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Webhooks:Timeout must be between 00:00:01 and 00:01:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A message failing this long since its first attempt disables its endpoint.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Webhooks:RetryWindow must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How often one silo looks for endpoints with work nobody woke them for (after a silo failure, a lost stream event, or a
    /// retry whose grain was deactivated) and wakes them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Webhooks:SweepInterval must be between 00:00:01 and 00:10:00.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Accept <c>http</c> URLs (development only): payloads and signatures then travel in the clear.</summary>
    public bool AllowInsecureUrls { get; set; }

    /// <summary>Deliver to private, loopback and link-local addresses (development and tests only).</summary>
    public bool AllowPrivateTargets { get; set; }
}
