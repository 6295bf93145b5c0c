using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Sales;

/// <summary>A request the fake CRM received.</summary>
public sealed record CrmRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A stand-in CRM on 127.0.0.1: HubSpot's batch upsert (objects kept by their id property's value, as HubSpot keeps
/// them unique), its v4 default associations, and a webhook receiver at <c>/hook</c> that answers <c>{"id": ...}</c>.
/// It fails the next requests matching a path on command.
/// </summary>
public sealed class FakeCrm : IAsyncDisposable
{
    public const string Token = "pat-eu1-fake-token";

    private WebApplication _app = null!;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Type, string Key), (string Id, JsonObject Properties)> _objects = [];
    private readonly ScriptedFailures _failures = new();
    private int _sequence = 1000;

    public ConcurrentQueue<CrmRequest> Requests { get; } = new();

    public HashSet<string> Associations { get; } = [];

    public string Url { get; private set; } = "";

    public static async Task<FakeCrm> StartAsync()
    {
        var fake = new FakeCrm();
        (fake._app, fake.Url) = await LoopbackApp.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>The next <paramref name="times"/> requests whose path contains <paramref name="pathContains"/> are answered <paramref name="status"/>.</summary>
    public void FailNext(int times, int status, string pathContains = "/")
    {
        _failures.Add(times, status, pathContains);
    }

    /// <summary>The HubSpot objects of a type: (id, properties).</summary>
    public List<(string Id, JsonObject Properties)> Objects(string type)
    {
        lock (_lock) return _objects.Where(o => o.Key.Type == type).Select(o => (o.Value.Id, (JsonObject)o.Value.Properties.DeepClone())).ToList();
    }

    public List<CrmRequest> RequestsTo(string pathContains) => Requests.Where(r => r.Path.Contains(pathContains, StringComparison.Ordinal)).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        var path = request.Path.Value ?? "";
        Requests.Enqueue(new CrmRequest(request.Method, path, request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));

        if (_failures.Take(path) is { } failure)
        {
            context.Response.StatusCode = failure;
            await context.Response.WriteAsJsonAsync(new { status = "error", message = "Fake CRM failing on command" });
            return;
        }
        if (path.StartsWith("/crm/", StringComparison.Ordinal) && request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { status = "error", message = "Authentication credentials not found." });
            return;
        }

        var parts = path.Trim('/').Split('/');
        if (request.Method == "POST" && parts is ["crm", "v3", "objects", var type, "batch", "upsert"])
        {
            var input = JsonNode.Parse(body)!["inputs"]![0]!;
            var key = $"{input["idProperty"]!.GetValue<string>()}={input["id"]!.GetValue<string>()}";
            var properties = (JsonObject)input["properties"]!.DeepClone();
            string id;
            bool created;
            lock (_lock)
            {
                created = !_objects.TryGetValue((type, key), out var existing);
                id = created ? (++_sequence).ToString(System.Globalization.CultureInfo.InvariantCulture) : existing.Id;
                var merged = created ? properties : existing.Properties;
                if (!created) foreach (var (name, value) in properties) merged[name] = value?.DeepClone();
                _objects[(type, key)] = (id, merged);
            }
            await context.Response.WriteAsJsonAsync(new { status = "COMPLETE", results = new[] { new { id, properties, @new = created } } });
            return;
        }
        if (request.Method == "PUT" && parts is ["crm", "v4", "objects", var from, var fromId, "associations", "default", var to, var toId])
        {
            lock (_lock) Associations.Add($"{from}/{fromId}->{to}/{toId}");
            await context.Response.WriteAsJsonAsync(new { status = "COMPLETE" });
            return;
        }
        if (request.Method == "POST" && path == "/hook")
        {
            var leadId = JsonNode.Parse(body)!["data"]!["leadId"]!.GetValue<string>();
            await context.Response.WriteAsJsonAsync(new { id = $"ext-{leadId}" });
            return;
        }
        context.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
