using Microsoft.Extensions.Options;

namespace Taskee.Silo.Commands;

/// <summary>The failures a command that reads the database reports in a line and an exit code, without a stack trace.</summary>
public static class CommandErrors
{
    public static bool IsExpected(Exception ex) => ex is OptionsValidationException or System.Data.Common.DbException;

    /// <summary>2 for a configuration error (fix the settings), 1 for a database that failed.</summary>
    public static int Report(Exception ex)
    {
        if (ex is OptionsValidationException invalid)
        {
            Console.Error.WriteLine($"Configuration error: {string.Join(" ", invalid.Failures)}");
            return 2;
        }
        Console.Error.WriteLine($"Storage failed: {ex.Message}. Check Storage:ConnectionString and that the database is up.");
        return 1;
    }
}
