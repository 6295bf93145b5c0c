namespace Taskee.Silo.Commands;

/// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
