using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Taskee.Benchmarks;

/// <summary>In-process (no generated project to restore), short runs sized for a 2-core machine, with allocations.</summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}
