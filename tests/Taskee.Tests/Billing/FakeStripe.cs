using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Billing;

/// <summary>A request the fake received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string? Authorization,
    string? StripeVersion);

/// <summary>
/// A small stand-in for Stripe's API on 127.0.0.1 with a random port: objects by id, subscription lists by customer,
/// invoices and invoice items, idempotent POSTs (a repeated Idempotency-Key replays the first answer, as Stripe does),
/// and scripted failures for the next requests matching a path: 429 as Stripe answers a lock timeout (with
/// <c>Stripe-Should-Retry: true</c>), 500 and others as an API error.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string ApiKey = "sk_test_fake_0123456789";

    private WebApplication _app = null!;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly ScriptedFailures _failures = new();
    private int _sequence;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<FakeStripe> StartAsync()
    {
        var fake = new FakeStripe();
        (fake._app, fake.Url) = await LoopbackApp.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Puts (or replaces) an object, found by its id.</summary>
    public void Put(JsonObject obj)
    {
        lock (_lock) _objects[obj["id"]!.GetValue<string>()] = (JsonObject)obj.DeepClone();
    }

    public JsonObject? Get(string id)
    {
        lock (_lock) return _objects.TryGetValue(id, out var obj) ? (JsonObject)obj.DeepClone() : null;
    }

    public List<JsonObject> All(string objectType)
    {
        lock (_lock) return _objects.Values.Where(o => o["object"]?.GetValue<string>() == objectType).Select(o => (JsonObject)o.DeepClone()).ToList();
    }

    /// <summary>The next <paramref name="times"/> requests whose path contains <paramref name="pathContains"/> are answered <paramref name="status"/>.</summary>
    public void FailNext(int times, int status, string pathContains = "/v1/")
    {
        _failures.Add(times, status, pathContains);
    }

    public List<RecordedRequest> RequestsTo(string pathContains) => Requests.Where(r => r.Path.Contains(pathContains, StringComparison.Ordinal)).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var key = request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", form, key, request.Headers.Authorization.ToString(),
            request.Headers["Stripe-Version"].ToString() is { Length: > 0 } v ? v : null);
        Requests.Enqueue(recorded);

        if (recorded.Authorization != $"Bearer {ApiKey}")
        {
            await WriteAsync(context, 401, Error("invalid_request_error", null, "Invalid API Key provided."));
            return;
        }
        if (_failures.Take(recorded.Path) is { } failure)
        {
            if (failure == 429) context.Response.Headers["Stripe-Should-Retry"] = "true";
            await WriteAsync(context, failure, failure == 429
                ? Error("invalid_request_error", "lock_timeout", "This object cannot be accessed right now because another API request or Stripe process is currently accessing it.")
                : Error("api_error", null, "An unknown error occurred."));
            return;
        }

        int status;
        string body;
        lock (_lock)
        {
            if (request.Method == "POST" && key is not null && _idempotent.TryGetValue(key, out var earlier))
            {
                (status, body) = earlier;
            }
            else
            {
                (status, body) = Route(request.Method, recorded.Path, request.Query, form);
                if (request.Method == "POST" && key is not null && status < 500) _idempotent[key] = (status, body);
            }
        }
        await WriteAsync(context, status, body);
    }

    private (int Status, string Body) Route(string method, string path, IQueryCollection query, Dictionary<string, string> form)
    {
        var parts = path.Trim('/').Split('/');
        if (method == "GET" && parts is ["v1", "subscriptions"])
        {
            var customer = query["customer"].ToString();
            var data = new JsonArray(_objects.Values.Where(o => o["object"]?.GetValue<string>() == "subscription" && o["customer"]?.GetValue<string>() == customer)
                .Select(o => (JsonNode)o.DeepClone()).ToArray());
            return (200, new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["url"] = "/v1/subscriptions" }.ToJsonString());
        }
        if (method == "GET" && parts.Length >= 3 && parts[0] == "v1")
        {
            var id = parts[^1];
            return _objects.TryGetValue(id, out var found) ? (200, found.ToJsonString()) : (404, Error("invalid_request_error", "resource_missing", $"No such object: '{id}'"));
        }
        if (method == "POST" && parts is ["v1", "invoices"])
        {
            if (!_objects.ContainsKey(form.GetValueOrDefault("customer") ?? ""))
                return (400, Error("invalid_request_error", "resource_missing", $"No such customer: '{form.GetValueOrDefault("customer")}'"));
            var id = $"in_fake_{++_sequence:D4}";
            _objects[id] = new JsonObject
            {
                ["id"] = id,
                ["object"] = "invoice",
                ["customer"] = form["customer"],
                ["collection_method"] = form.GetValueOrDefault("collection_method"),
                ["days_until_due"] = int.Parse(form.GetValueOrDefault("days_until_due") ?? "30"),
                ["currency"] = form.GetValueOrDefault("currency"),
                ["status"] = "draft",
                ["amount_due"] = 0L,
                ["lines"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray() },
                ["metadata"] = new JsonObject { ["org_id"] = form.GetValueOrDefault("metadata[org_id]") },
            };
            return (200, _objects[id].ToJsonString());
        }
        if (method == "POST" && parts is ["v1", "invoiceitems"])
        {
            if (!_objects.TryGetValue(form.GetValueOrDefault("invoice") ?? "", out var invoice) || invoice["status"]!.GetValue<string>() != "draft")
                return (400, Error("invalid_request_error", "invoice_not_editable", "The invoice is not a draft."));
            var amount = long.Parse(form["amount"]);
            var item = new JsonObject
            {
                ["id"] = $"ii_fake_{++_sequence:D4}",
                ["object"] = "invoiceitem",
                ["amount"] = amount,
                ["currency"] = form["currency"],
                ["description"] = form["description"],
                ["invoice"] = form["invoice"],
            };
            invoice["lines"]!["data"]!.AsArray().Add(item.DeepClone());
            invoice["amount_due"] = invoice["amount_due"]!.GetValue<long>() + amount;
            _objects[item["id"]!.GetValue<string>()] = item;
            return (200, item.ToJsonString());
        }
        if (method == "POST" && parts is ["v1", "invoices", var invoiceId, var action] && _objects.TryGetValue(invoiceId, out var target))
        {
            if (action == "finalize")
            {
                if (target["status"]!.GetValue<string>() != "draft")
                    return (400, Error("invalid_request_error", "invoice_already_finalized", "This invoice is already finalized."));
                target["status"] = "open";
                target["number"] = $"FAKE-{_sequence:D4}";
                target["due_date"] = DateTimeOffset.UtcNow.AddDays(target["days_until_due"]!.GetValue<int>()).ToUnixTimeSeconds();
                target["hosted_invoice_url"] = $"https://invoice.stripe.com/i/fake/{invoiceId}";
            }
            else if (action == "send")
            {
                if (target["status"]!.GetValue<string>() == "draft")
                    return (400, Error("invalid_request_error", "invoice_not_finalized", "Finalize the invoice first."));
                target["sent"] = true;
            }
            return (200, target.ToJsonString());
        }
        return (404, Error("invalid_request_error", "resource_missing", $"Unrecognized request URL ({method}: {path})."));
    }

    private static string Error(string type, string? code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } }.ToJsonString();

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = $"req_fake_{Guid.NewGuid():N}";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
