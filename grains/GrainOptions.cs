using System.ComponentModel.DataAnnotations;

namespace Taskee.Grains;

/// <summary>Configuration section <c>Grains</c>.</summary>
public sealed class GrainOptions
{
    public const string Section = "Grains";

    /// <summary>An organisation grain unused this long is deactivated (its state flushed) to free memory.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Grains:IdleTimeout must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
