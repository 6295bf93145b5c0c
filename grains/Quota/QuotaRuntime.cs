using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Taskee.Grains.Quota;

/// <summary>What every organisation grain of this silo shares: clock, settings, instruments, logger.</summary>
public sealed class QuotaRuntime(TimeProvider clock, IOptions<QuotaOptions> options, QuotaMetrics metrics, ILogger<QuotaRuntime> logger)
{
    public TimeProvider Clock { get; } = clock;
    public QuotaOptions Options { get; } = options.Value;
    public QuotaMetrics Metrics { get; } = metrics;
    public ILogger Logger { get; } = logger;
}
