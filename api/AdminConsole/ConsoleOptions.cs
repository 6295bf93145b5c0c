using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.AdminConsole;

/// <summary>Configuration section <c>Console</c>: the browser session of the admin console at /console.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>
    /// A console session unused for this long is refused and must sign in again. The cookie slides: each request in the
    /// second half of the window renews it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00", ErrorMessage = "Console:IdleTimeout must be between 00:01:00 and 12:00:00, for example 00:30:00.")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
