using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Taskee.Grains.Quota;

/// <summary>What every grain of this node shares: clock, settings, identity, instruments, logger.</summary>
public sealed class QuotaRuntime(TimeProvider clock, IOptions<QuotaOptions> options, NodeIdentity node, QuotaMetrics metrics, ILogger<QuotaRuntime> logger)
{
    public TimeProvider Clock { get; } = clock;
    public QuotaOptions Options { get; } = options.Value;
    public NodeIdentity Node { get; } = node;
    public QuotaMetrics Metrics { get; } = metrics;
    public ILogger Logger { get; } = logger;
}
