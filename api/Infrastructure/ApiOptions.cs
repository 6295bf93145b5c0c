using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.Infrastructure;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest accepted request body. The batch endpoint's 1,000 items fit well inside the default.</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Api:MaxRequestBodyBytes must be between 1024 and 67108864.")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long an Idempotency-Key's first response is replayed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Api:IdempotencyRetention must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}
