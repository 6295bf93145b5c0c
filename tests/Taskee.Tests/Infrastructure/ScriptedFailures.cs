namespace Taskee.Tests.Infrastructure;

/// <summary>Failures a fake service was told to answer: the next N requests whose path contains a text get a status.</summary>
public sealed class ScriptedFailures
{
    private readonly Lock _lock = new();
    private readonly List<(string PathContains, int Status, int Remaining)> _failures = [];

    public void Add(int times, int status, string pathContains)
    {
        lock (_lock) _failures.Add((pathContains, status, times));
    }

    /// <summary>The status this request must fail with, using one of its scripted failures; null to answer it normally.</summary>
    public int? Take(string path)
    {
        lock (_lock)
        {
            for (var i = 0; i < _failures.Count; i++)
            {
                var (contains, status, remaining) = _failures[i];
                if (!path.Contains(contains, StringComparison.Ordinal)) continue;
                if (remaining <= 1) _failures.RemoveAt(i);
                else _failures[i] = (contains, status, remaining - 1);
                return status;
            }
            return null;
        }
    }
}
