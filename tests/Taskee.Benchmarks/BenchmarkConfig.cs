using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Taskee.Benchmarks;

/// <summary>
/// In-process (no generated project to restore), short runs sized for a 2-core machine, with allocations, calls per
/// second, and ratios written as "N× faster" (the decision is too far from its baseline for a decimal ratio).
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1)
            // On a busy 2-core machine the pilot stage settled on 20 ms iterations for grain calls, too short to trust.
            .WithMinIterationTime(TimeInterval.FromMilliseconds(100)))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(StatisticColumn.OperationsPerSecond)
        .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}
