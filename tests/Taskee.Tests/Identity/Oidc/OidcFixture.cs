using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>
/// A node, with its real sign-in service and an encrypted Data Protection key ring, and a loopback OpenID provider whose
/// tenants are the organisations' identity providers.
/// </summary>
public sealed class OidcFixture : IAsyncLifetime
{
    /// <summary>The public base URL: not the host the tests' browser uses, so a redirect_uri built from the request shows.</summary>
    public const string PublicUrl = "https://taskee.example.com";

    public static readonly string KeyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private TestDatabase? _database;

    public TestIdentityProvider Provider { get; private set; } = null!;
    public TaskeeNode Node { get; private set; } = null!;

    /// <summary>The node's address as browsers reach it: https, so the handler's Secure cookies travel.</summary>
    public static readonly Uri NodeAddress = new("https://localhost");

    public async Task InitializeAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Auth:Issuer:Url"] = PublicUrl,
            ["Auth:Issuer:KeyEncryptionKey"] = KeyEncryptionKey,
            ["Logging:LogLevel:Taskee.Api.Identity.Oidc"] = "Information",
        }).StartAsync();
    }

    /// <summary>A browser: its own cookies, redirects left to the test.</summary>
    public HttpClient Browser() => Node.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = NodeAddress,
    });

    /// <summary>A client that sends the given bearer token and no cookies.</summary>
    public HttpClient Bearer(string accessToken)
    {
        var client = Node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = NodeAddress });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public static async Task<List<JsonNode>> MembersAsync(HttpClient admin, string orgId) =>
        (await admin.GetJsonAsync($"/v1/organisations/{orgId}/members"))["items"]!.AsArray().Select(m => m!).ToList();

    public static async Task<long> SeatsUsedAsync(HttpClient admin, string orgId) =>
        (await admin.GetJsonAsync($"/v1/organisations/{orgId}/entitlements"))["usage"]!["seats"]!["used"]!.GetValue<long>();

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
