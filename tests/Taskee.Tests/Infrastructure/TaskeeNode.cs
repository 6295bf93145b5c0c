using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Grains;
using Taskee.Grains.Storage;

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

    public TaskeeNode(TestDatabase database, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        _database = database;
        _clock = clock;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = database.Provider,
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Auth:BootstrapAdminKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public TestDatabase Database => _database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        if (_clock is not null) builder.ConfigureServices(services => services.AddSingleton(_clock));
    }

    /// <summary>Reports every grain's consumption to the ledger now, instead of waiting for the flush timer.</summary>
    public Task FlushAsync() => Services.GetRequiredService<GrainDirectory>().FlushAllAsync(CancellationToken.None);

    /// <summary>The ledger's totals of a counter, read from the database.</summary>
    public Task<LedgerTotals> LedgerAsync(string orgId, string metric, string period = "") =>
        Services.GetRequiredService<IQuotaLedger>().ReadAsync(new CounterKey(orgId, metric, period));

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
