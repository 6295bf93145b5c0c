using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Taskee.Grains;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;
using Taskee.Silo;
using Taskee.Silo.Storage;

namespace Taskee.Benchmarks;

/// <summary>
/// A node's services on a real SQLite ledger in a temp folder, without the HTTP server or hosted services:
/// one organisation with a limit high enough never to be reached, its grain active.
/// </summary>
public sealed class BenchNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly OrganisationGrain _grain;

    private BenchNode(WebApplication app, string directory, OrganisationGrain grain)
    {
        _app = app;
        _directory = directory;
        _grain = grain;
    }

    public static async Task<BenchNode> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("taskee-bench-").FullName;
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Storage:ConnectionString"] = $"Data Source={Path.Combine(directory, "bench.db")}";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTaskeeSilo();
        var app = builder.Build();

        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
        await app.Services.GetRequiredService<CatalogCache>().ReloadAsync();
        var store = app.Services.GetRequiredService<IOrganisationStore>();
        var organisation = new Organisation("bench", "Bench", "enterprise", OrganisationStatus.Active,
            System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [new KeyValuePair<string, long>(Metrics.AiCalls, Metrics.MaxLimit)]),
            System.Collections.Immutable.ImmutableSortedDictionary.Create<string, bool>(StringComparer.Ordinal),
            null, 1, default, default);
        await store.CreateAsync(organisation, o => new AuditRecord("org.created", "organisations/bench", null, "{}"), new ChangeContext(AuditActor.System, null, null));
        var grain = (await app.Services.GetRequiredService<GrainDirectory>().GetGrainAsync("bench"))!;
        await grain.ConsumeAsync(Metrics.AiCalls, 1); // first lease
        return new BenchNode(app, directory, grain);
    }

    /// <summary>One unit of ai_calls: the fast path, or (about once per lease) the slow path.</summary>
    public bool Consume()
    {
        if (_grain.TryConsume(0, 1, out var result)) return result.Allowed;
        return _grain.ConsumeAsync(Metrics.AiCalls, 1).AsTask().GetAwaiter().GetResult().Allowed;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
