using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;
using Taskee.Silo;

namespace Taskee.Benchmarks;

/// <summary>
/// A silo composed exactly as production composes it (<see cref="SiloExtensions.AddTaskeeSilo"/>), hosted in this process
/// on a SQLite database in a temp folder, on ports of its own so it never meets a silo someone else runs on this machine.
/// Callers reach grains through <see cref="IGrainFactory"/>, as the co-hosted API does.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private BenchSilo(WebApplication app, string directory, string connectionString)
    {
        _app = app;
        _directory = directory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchSilo> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("taskee-bench-").FullName;
        var connectionString = $"Data Source={Path.Combine(directory, "bench.db")}";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Storage:ConnectionString"] = connectionString;
        builder.Configuration["Orleans:SiloPort"] = FreePort();
        builder.Configuration["Orleans:GatewayPort"] = FreePort();
        builder.Configuration["Urls"] = "http://127.0.0.1:0"; // nothing is served over HTTP here
        builder.Configuration["Auth:BootstrapAdminKey"] = "tk_benchadmin_0123456789abcdef0123456789abcdef0123456789abcdef"; // else one is printed
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddTaskeeSilo();
        var app = builder.Build();
        await app.StartAsync();
        return new BenchSilo(app, directory, connectionString);
    }

    /// <summary>Creates an enterprise organisation whose ai_calls limit is never reached, as the admin API would.</summary>
    public async Task<IOrganisationGrain> CreateOrganisationAsync(string id)
    {
        var organisation = new Organisation(id, id, "enterprise", OrganisationStatus.Active,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(Metrics.AiCalls, Metrics.MaxLimit)]),
            ImmutableSortedDictionary.Create<string, bool>(StringComparer.Ordinal), null, 0, default, default);
        var created = await _app.Services.GetRequiredService<OrganisationGrains>().CreateAsync(organisation,
            o => new AuditRecord("org.created", $"organisations/{id}", null, "{}"), new ChangeContext(AuditActor.System, null, null));
        if (created.Status != WriteStatus.Done) throw new InvalidOperationException($"Could not create organisation {id}: {created.Status}.");
        return Grains.GetGrain<IOrganisationGrain>(id);
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
