using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Taskee.Api.Identity.SignIn;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Oidc;

/// <summary>A node and a loopback OpenID provider whose tenants are the organisations' identity providers.</summary>
public sealed class OidcFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestIdentityProvider Provider { get; private set; } = null!;
    public TaskeeNode Node { get; private set; } = null!;
    public RecordingSignInService SignIns { get; } = new();

    /// <summary>The node's address as browsers reach it: https, so the handler's Secure cookies travel.</summary>
    public static readonly Uri NodeAddress = new("https://localhost");

    public async Task InitializeAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Logging:LogLevel:Taskee.Api.Identity.Oidc"] = "Information",
        }, services: s => s.Replace(ServiceDescriptor.Singleton<ISignInService>(SignIns))).StartAsync();
    }

    /// <summary>A browser: its own cookies, redirects left to the test.</summary>
    public HttpClient Browser() => Node.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = NodeAddress,
    });

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
