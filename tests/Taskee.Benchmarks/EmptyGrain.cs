using Taskee.Grains.Interfaces;

namespace Taskee.Benchmarks;

/// <summary>
/// The baseline of the grain benchmarks: a grain with no state and no work, and a method with the same message shape
/// as <see cref="IOrganisationGrain.ConsumeAsync"/>. What it costs is what Orleans itself costs.
/// </summary>
[Alias("IEmptyGrain")]
public interface IEmptyGrain : IGrainWithStringKey
{
    [Alias("Echo")]
    ValueTask<UsageResult> EchoAsync(string metric, long amount);
}

public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public ValueTask<UsageResult> EchoAsync(string metric, long amount) => ValueTask.FromResult(default(UsageResult));
}
