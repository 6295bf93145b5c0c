using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.Sales;

/// <summary>Configuration section <c>Leads</c>: the abuse limits of the public intake (<c>POST /v1/leads</c>) and pricing calculator.</summary>
public sealed class LeadOptions
{
    public const string Section = "Leads";

    /// <summary>Leads one address may send per hour; a person sends one, a script many.</summary>
    [Range(1, 10_000, ErrorMessage = "Leads:PerIpPerHour must be between 1 and 10000 (default 5).")]
    public int PerIpPerHour { get; set; } = 5;

    /// <summary>A form sent sooner than this after it was opened was not filled in by a person.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Leads:MinimumFillTime must be between 00:00:00 and 00:10:00 (default 00:00:03).")]
    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a form token stays valid: a person who leaves the page open longer reloads it.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00", ErrorMessage = "Leads:FormLifetime must be between 00:05:00 and 1.00:00:00 (default 04:00:00).")]
    public TimeSpan FormLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Calculations of the public pricing calculator one address may ask per minute (the page asks once per change).</summary>
    [Range(1, 100_000, ErrorMessage = "Leads:CalculationsPerIpPerMinute must be between 1 and 100000 (default 120).")]
    public int CalculationsPerIpPerMinute { get; set; } = 120;

    /// <summary>Largest intake body; a filled-in form is about 1 KB.</summary>
    [Range(1024, 1_048_576, ErrorMessage = "Leads:MaxBodyBytes must be between 1024 and 1048576 (default 16384).")]
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}
