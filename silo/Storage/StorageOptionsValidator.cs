using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Taskee.Silo.Storage;

/// <summary>Rejects storage settings that cannot work, with a message that says what to set.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider is not (StorageOptions.Sqlite or StorageOptions.Postgres))
            return ValidateOptionsResult.Fail(
                $"Storage:Provider is '{options.Provider}'; set it to 'sqlite' (one node, the default) or 'postgres' (a cluster).");

        if (options.Provider == StorageOptions.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail(
                "Storage:Provider is 'postgres' but Storage:ConnectionString is empty; set it, e.g. "
                + "Storage__ConnectionString='Host=127.0.0.1;Port=5432;Database=taskee;Username=taskee;Password=...'.");

        try
        {
            _ = new DbConnectionStringBuilder { ConnectionString = options.EffectiveConnectionString };
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Storage:ConnectionString is not a valid connection string ({ex.Message}); fix its key=value pairs.");
        }

        return ValidateOptionsResult.Success;
    }
}
