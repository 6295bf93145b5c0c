namespace Taskee.Chaos;

/// <summary>Named assertions that print as they go and sum up in the line CI reads: "N passed, M failed".</summary>
public sealed class Checks
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }

    public void That(bool condition, string what)
    {
        if (condition) Passed++;
        else Failed++;
        Console.WriteLine($"  {(condition ? "PASS" : "FAIL")}  {what}");
    }

    public void Error(string scenario, Exception exception)
    {
        Failed++;
        Console.WriteLine($"  FAIL  {scenario} crashed: {exception}");
    }
}
