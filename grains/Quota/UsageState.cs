namespace Taskee.Grains.Quota;

/// <summary>
/// What an organisation grain persists of its usage (Orleans grain state "usage", ETag-checked): per metric the
/// period, the consumption written so far, and the reservation: what it may admit before it writes again. A crashed
/// activation's successor starts from <c>max(Used, Reserved)</c>, so nothing admitted is ever counted twice as room.
/// </summary>
[GenerateSerializer]
[Alias("Taskee.UsageState")]
public sealed class UsageState
{
    [Id(0)]
    public Dictionary<string, CounterState> Counters { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
[Alias("Taskee.CounterState")]
public sealed class CounterState
{
    /// <summary>The period key ("" for gauges); a state of an earlier period counts as nothing used.</summary>
    [Id(0)]
    public string Period { get; set; } = "";

    [Id(1)]
    public long Used { get; set; }

    /// <summary>Always at least <see cref="Used"/>.</summary>
    [Id(2)]
    public long Reserved { get; set; }
}
