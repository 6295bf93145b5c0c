using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Taskee.Processes;

namespace Taskee.Chaos;

/// <summary>Node processes on a database of their own on the test's PostgreSQL server, and ways to look at the ledger.</summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    public const string AdminKey = "tk_chaosadmin_0123456789abcdef0123456789abcdef0123456789abcdef";
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);

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

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_serverConnection) { Database = _database }.ConnectionString;

    /// <param name="overrides">Settings that replace the chaos defaults (short lease TTL and flush interval).</param>
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
            ["Quota:LeaseTtl"] = LeaseTtl.ToString(),
            ["Cluster:HeartbeatInterval"] = "00:00:00.250",
            ["Cluster:NodeTtl"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) settings[key] = value;
        var started = new List<NodeProcess>();
        for (var i = 0; i < nodes; i++) started.Add(await NodeProcess.StartAsync($"node{i}", settings, logDirectory));
        return new ChaosCluster(serverConnection, database, logDirectory, started);
    }

    public HttpClient Client(int node)
    {
        // Generous: a node just resumed from SIGSTOP, or a loaded CI machine, may take seconds for its first answers.
        var client = new HttpClient { BaseAddress = Nodes[node].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public async Task CreateOrganisationAsync(string orgId, long aiLimit)
    {
        using var client = Client(0);
        (await client.PostAsJsonAsync("/v1/organisations", new { id = orgId, name = orgId, plan = "enterprise" })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/v1/organisations/{orgId}/limits/ai_calls", new { limit = aiLimit })).EnsureSuccessStatusCode();
    }

    public async Task<string> NodeIdAsync(int node)
    {
        using var client = Client(node);
        return (await client.GetFromJsonAsync<JsonNode>("/v1/ops/quota"))!["nodeId"]!.GetValue<string>();
    }

    public async Task<long> LedgerRoundTripsAsync()
    {
        long total = 0;
        for (var i = 0; i < Nodes.Count; i++)
        {
            using var client = Client(i);
            total += (await client.GetFromJsonAsync<JsonNode>("/v1/ops/quota"))!["ledgerRoundTrips"]!.GetValue<long>();
        }
        return total;
    }

    /// <summary>The organisation's ai_calls totals in the current period, straight from the database.</summary>
    public async Task<(long Consumed, long Leased)> LedgerAsync(string orgId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE(SUM(consumed), 0)::bigint, COALESCE(SUM(leased), 0)::bigint FROM usage WHERE org_id = @org AND metric = 'ai_calls'", connection);
        command.Parameters.AddWithValue("org", orgId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Units currently leased to the holders of one node process.</summary>
    public async Task<long> LeasedToAsync(string nodeId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(SUM(amount), 0)::bigint FROM leases WHERE holder LIKE @prefix", connection);
        command.Parameters.AddWithValue("prefix", nodeId + "/%");
        return (long)(await command.ExecuteScalarAsync())!;
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
