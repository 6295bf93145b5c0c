using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Taskee.Tests.Identity.Issuer;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>
/// A plain node on its own database, shared by a test class, whose public base URL (<c>Auth:Issuer:Url</c>) names
/// the SAML entity ids and ACS URLs. Sign-in is the node's own: a test sees its outcome as members, seats, audit
/// events and tokens.
/// </summary>
public class SamlNodeFixture : IAsyncLifetime
{
    public const string BaseUrl = "https://taskee.test";

    private readonly TimeProvider? _clock;
    private TestDatabase? _database;

    public SamlNodeFixture() : this(null) { }

    protected SamlNodeFixture(TimeProvider? clock) => _clock = clock;

    public TaskeeNode Node { get; private set; } = null!;

    public TestDatabase Database => _database!;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:Issuer:Url"] = BaseUrl,
        ["Auth:Issuer:KeyEncryptionKey"] = IssuerFixture.KeyEncryptionKey,
    };

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, Settings(), _clock).StartAsync();
    }

    /// <summary>A client that does not follow redirects or keep cookies (the tests read both) and asks for JSON answers.</summary>
    public HttpClient Client(string? apiKey, bool json = true) => Client(Node, apiKey, json);

    public static HttpClient Client(TaskeeNode node, string? apiKey, bool json = true)
    {
        var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (json) client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient Admin() => Client(TaskeeNode.AdminKey);

    public async Task<List<JsonNode>> MembersAsync(string orgId) =>
        (await Admin().GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray().Select(m => m!).ToList();

    public async Task<long> SeatsUsedAsync(string orgId) =>
        (await Admin().GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["seats"]!["used"]!.GetValue<long>();

    /// <summary>The <c>auth.signed_in</c> audit events of the organisation: one per sign-in that reached a session.</summary>
    public async Task<List<JsonNode>> SignInsAsync(string orgId) =>
        (await Admin().AuditEventsAsync(orgId)).Where(e => e["action"]!.GetValue<string>() == "auth.signed_in").ToList();

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
