using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Taskee.Processes;

namespace Taskee.Chaos;

/// <summary>Silo processes forming one Orleans cluster on a database of their own on the test's PostgreSQL server.</summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    public const string AdminKey = "tk_chaosadmin_0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>Small reservations: the loss bound on a kill is one of them.</summary>
    public const long MaxReservation = 200;

    private readonly string _serverConnection;
    private readonly string _database;
    private readonly string _logDirectory;

    private ChaosCluster(string serverConnection, string database, string logDirectory, List<NodeProcess> nodes)
    {
        _serverConnection = serverConnection;
        _database = database;
        _logDirectory = logDirectory;
        Nodes = nodes;
    }

    public List<NodeProcess> Nodes { get; }

    /// <param name="overrides">Settings that replace the chaos defaults.</param>
    public static async Task<ChaosCluster> StartAsync(string serverConnection, int nodes, string scenario, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var database = $"chaos_{scenario}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(serverConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var logDirectory = Directory.CreateTempSubdirectory($"taskee-chaos-{scenario}-").FullName;
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = connectionString,
            ["Auth:BootstrapAdminKey"] = AdminKey,
            ["Quota:FlushInterval"] = "00:00:00.100",
            ["Quota:MaxLease"] = MaxReservation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) settings[key] = value;
        var started = new List<NodeProcess>();
        for (var i = 0; i < nodes; i++)
        {
            var own = new Dictionary<string, string>(settings)
            {
                ["Orleans:SiloPort"] = NodeProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Orleans:GatewayPort"] = NodeProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            started.Add(await NodeProcess.StartAsync($"node{i}", own, logDirectory));
        }
        var cluster = new ChaosCluster(serverConnection, database, logDirectory, started);
        await cluster.WaitForSilosAsync(nodes);
        return cluster;
    }

    public HttpClient Client(int node)
    {
        // Generous: a silo just resumed from SIGSTOP, or a loaded CI machine, may take seconds for its first answers.
        var client = new HttpClient { BaseAddress = Nodes[node].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>Until every silo sees <paramref name="count"/> active silos: one cluster, not several.</summary>
    private async Task WaitForSilosAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        for (var i = 0; i < Nodes.Count; i++)
        {
            using var client = Client(i);
            while ((await client.GetFromJsonAsync<JsonNode>("/v1/cluster/nodes"))!["items"]!.AsArray().Count(n => n!["alive"]!.GetValue<bool>()) < count)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"The {count} silos did not form one cluster within 120 s; see {_logDirectory}.");
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Creates the organisation through <paramref name="viaNode"/>, so its grain activates on some silo of the cluster.</summary>
    public async Task CreateOrganisationAsync(string orgId, long aiLimit, int viaNode = 0)
    {
        using var client = Client(viaNode);
        (await client.PostAsJsonAsync("/v1/organisations", new { id = orgId, name = orgId, plan = "enterprise" })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/v1/organisations/{orgId}/limits/ai_calls", new { limit = aiLimit })).EnsureSuccessStatusCode();
    }

    /// <summary>The address of the silo whose activation holds the organisation.</summary>
    public async Task<string> SiloOfAsync(string orgId, int viaNode = 0)
    {
        using var client = Client(viaNode);
        return (await client.GetFromJsonAsync<JsonNode>($"/v1/ops/organisations/{orgId}"))!["silo"]!.GetValue<string>();
    }

    /// <summary>The silo address of one node process, from Orleans membership.</summary>
    public async Task<string> SiloAddressAsync(int node)
    {
        using var client = Client(node);
        return (await client.GetFromJsonAsync<JsonNode>("/v1/cluster/nodes"))!["items"]!.AsArray()
            .Single(n => n!["self"]!.GetValue<bool>())!["address"]!.GetValue<string>();
    }

    /// <summary>The membership status of the silo at <paramref name="address"/> as <paramref name="viaNode"/> sees it.</summary>
    public async Task<string?> StatusOfAsync(string address, int viaNode)
    {
        using var client = Client(viaNode);
        return (await client.GetFromJsonAsync<JsonNode>("/v1/cluster/nodes"))!["items"]!.AsArray()
            .FirstOrDefault(n => n!["address"]!.GetValue<string>() == address)?["status"]?.GetValue<string>();
    }

    /// <summary>What the organisation's grain counts as used this period (activating it from storage if needed).</summary>
    public async Task<long> UsedAsync(string orgId, int viaNode)
    {
        using var client = Client(viaNode);
        return (await client.GetFromJsonAsync<JsonNode>($"/v1/organisations/{orgId}/entitlements"))!["usage"]!["ai_calls"]!["used"]!.GetValue<long>();
    }

    public async Task<long> StateWritesAsync()
    {
        long total = 0;
        for (var i = 0; i < Nodes.Count; i++)
        {
            using var client = Client(i);
            total += (await client.GetFromJsonAsync<JsonNode>("/v1/ops/quota"))!["ledgerRoundTrips"]!.GetValue<long>();
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        try { Directory.Delete(_logDirectory, recursive: true); } catch (IOException) { /* temp */ }
    }
}
