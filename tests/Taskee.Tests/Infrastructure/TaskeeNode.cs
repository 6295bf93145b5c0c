using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;

namespace Taskee.Tests.Infrastructure;

/// <summary>
/// A node hosted in the test process on a real database, through <see cref="WebApplicationFactory{TEntryPoint}"/>.
/// Its platform admin key is fixed, so tests can call the admin API at once.
/// </summary>
public sealed class TaskeeNode : WebApplicationFactory<Program>
{
    public const string AdminKey = "tk_testadmin_0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TestDatabase _database;
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Services to add or replace after the node's own (a stand-in for one not built yet).</param>
    public TaskeeNode(TestDatabase database, IDictionary<string, string?>? settings = null, TimeProvider? clock = null,
        Action<IServiceCollection>? services = null)
    {
        _database = database;
        _clock = clock;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = database.Provider,
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Auth:BootstrapAdminKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
            // Each node in the test process is a silo of its own: own ports; on SQLite its own cluster too.
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public TestDatabase Database => _database;

    /// <summary>A setting this node was started with (its Orleans ports, for instance).</summary>
    public string? Setting(string key) => _settings.GetValueOrDefault(key);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // As settings of the host, so Program sees them while it composes the silo (Orleans reads them then).
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        if (_clock is not null) builder.ConfigureServices(services => services.AddSingleton(_clock));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    /// <summary>Makes every organisation grain active on this silo write its usage now, instead of waiting for its timer.</summary>
    public async Task FlushAsync()
    {
        var factory = Services.GetRequiredService<IGrainFactory>();
        var local = Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var active = await factory.GetGrain<IManagementGrain>(0).GetActiveGrains(GrainType.Create(Taskee.Grains.OrganisationGrain.OrganisationGrainType));
        foreach (var id in active) await factory.GetGrain<IOrganisationGrain>(id.Key.ToString()!).FlushAsync();
    }

    /// <summary>What the organisation's grain has written to storage for a metric (its Orleans grain state), or null.</summary>
    public async Task<CounterState?> StoredUsageAsync(string orgId, string metric)
    {
        var storage = Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.UsageStorage);
        var state = new GrainState<UsageState>(new UsageState());
        await storage.ReadStateAsync("usage", GrainId.Create(Taskee.Grains.OrganisationGrain.OrganisationGrainType, orgId), state);
        return state.RecordExists ? state.State?.Counters.GetValueOrDefault(metric) : null;
    }

    /// <summary>A loopback TCP port free right now, for a node's HTTP, silo or gateway endpoint.</summary>
    public static int FreePort() => Taskee.Processes.FreePorts.Next();

    /// <summary>Starts the node and waits until it reports ready (migrations applied, catalog loaded).</summary>
    public async Task<TaskeeNode> StartAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode) return this;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The node did not become ready: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(50);
        }
    }

    public HttpClient Client(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public HttpClient Admin() => Client(AdminKey);
}
