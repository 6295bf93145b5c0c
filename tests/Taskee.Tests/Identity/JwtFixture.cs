using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity;

/// <summary>A node that trusts a test OpenID provider (and a second one used as an organisation's SSO issuer).</summary>
public sealed class JwtFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestIdentityProvider Platform { get; private set; } = null!;
    public TestIdentityProvider Sso { get; private set; } = null!;
    public TaskeeNode Node { get; private set; } = null!;

    public static readonly TimeSpan RefreshMinInterval = TimeSpan.FromSeconds(2);

    public async Task InitializeAsync()
    {
        Platform = await TestIdentityProvider.StartAsync();
        Sso = await TestIdentityProvider.StartAsync();
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = Platform.Issuer,
            ["Auth:Jwt:Audience"] = TestIdentityProvider.Audience,
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Auth:Jwt:RefreshMinInterval"] = RefreshMinInterval.ToString(),
            ["Auth:Jwt:StaleAfter"] = "00:00:01",
        }).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        await Platform.DisposeAsync();
        await Sso.DisposeAsync();
    }
}
