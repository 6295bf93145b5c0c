using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Taskee.Grains.Interfaces;

namespace Taskee.Benchmarks;

/// <summary>
/// A grain call as the co-hosted API makes it: <see cref="IGrainFactory"/> in the silo's process to the local activation of
/// one hot organisation, at 1 caller and at 32 concurrent callers (one activation runs one call at a time, so they queue).
/// Baseline: the same call shape to a grain that does nothing, i.e. the cost of Orleans' messaging alone.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class GrainCallBenchmarks
{
    private const int Callers = 32;
    private const int CallsPerCaller = 32;

    private BenchSilo _silo = null!;
    private IOrganisationGrain _organisation = null!;
    private IEmptyGrain _empty = null!;

    // Synchronous on purpose: the in-process toolchain does not reliably wait for an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _silo = await BenchSilo.StartAsync();
        _organisation = await _silo.CreateOrganisationAsync("bench");
        _empty = _silo.Grains.GetGrain<IEmptyGrain>("bench");
        await _empty.EchoAsync(Metrics.AiCalls, 1); // activates it, as the organisation's creation activated that grain
    }

    [Benchmark(Baseline = true, Description = "empty grain: EchoAsync"), BenchmarkCategory("1 caller")]
    public ValueTask<UsageResult> Empty() => _empty.EchoAsync(Metrics.AiCalls, 1);

    [Benchmark(Description = "organisation: ConsumeAsync"), BenchmarkCategory("1 caller")]
    public ValueTask<UsageResult> Consume() => _organisation.ConsumeAsync(Metrics.AiCalls, 1);

    [Benchmark(Description = "organisation: CheckAsync"), BenchmarkCategory("1 caller")]
    public ValueTask<UsageResult> Check() => _organisation.CheckAsync(Metrics.AiCalls, 1);

    [Benchmark(Baseline = true, OperationsPerInvoke = Callers * CallsPerCaller, Description = "empty grain: EchoAsync x32"), BenchmarkCategory("32 callers")]
    public Task Empty32() => Concurrently(() => _empty.EchoAsync(Metrics.AiCalls, 1));

    [Benchmark(OperationsPerInvoke = Callers * CallsPerCaller, Description = "organisation: ConsumeAsync x32"), BenchmarkCategory("32 callers")]
    public Task Consume32() => Concurrently(() => _organisation.ConsumeAsync(Metrics.AiCalls, 1));

    /// <summary>32 callers, each making its calls one after the other; the figure is per call.</summary>
    private static Task Concurrently(Func<ValueTask<UsageResult>> call) =>
        Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            for (var i = 0; i < CallsPerCaller; i++) await call();
        }));
}
