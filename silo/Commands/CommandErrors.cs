using Microsoft.Extensions.Options;

namespace Taskee.Silo.Commands;

/// <summary>The failures a command reports in a line and an exit code, without a stack trace.</summary>
public static class CommandErrors
{
    public static bool IsExpected(Exception ex) =>
        ex is OptionsValidationException or System.Data.Common.DbException or Orleans.Runtime.OrleansException;

    /// <summary>2 for a configuration error (fix the settings), 1 for a database or cluster that failed.</summary>
    public static int Report(Exception ex)
    {
        switch (ex)
        {
            case OptionsValidationException invalid:
                Console.Error.WriteLine($"Configuration error: {string.Join(" ", invalid.Failures)}");
                return 2;
            case Orleans.Runtime.OrleansException:
                Console.Error.WriteLine($"Could not reach the cluster: {ex.Message.TrimEnd('.')}. Start a silo first (dotnet run --project silo) with the same "
                    + "Storage and Orleans settings; the command changes organisations through their grains.");
                return 1;
            default:
                Console.Error.WriteLine($"Storage failed: {ex.Message}. Check Storage:ConnectionString and that the database is up.");
                return 1;
        }
    }
}
