using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Identity.SignIn;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Issuer;

/// <summary>
/// A node that issues Taskee tokens, with a key-encryption key for its Data Protection key ring. A person is signed in
/// through the node's own <see cref="ISignInService"/>, as the SAML and OIDC sign-ins do once they validated an assertion.
/// </summary>
public class IssuerFixture : IAsyncLifetime
{
    public const string Issuer = "http://localhost";
    public const string Audience = "taskee-api";
    public static readonly string KeyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private TestDatabase? _database;
    private readonly TimeProvider? _clock;
    private readonly Dictionary<string, string?> _settings;

    public IssuerFixture() : this(null, null) { }

    protected IssuerFixture(TimeProvider? clock, IDictionary<string, string?>? settings)
    {
        _clock = clock;
        _settings = new Dictionary<string, string?>
        {
            ["Auth:Issuer:Url"] = Issuer,
            ["Auth:Issuer:KeyEncryptionKey"] = KeyEncryptionKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public TaskeeNode Node { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, _settings, _clock).StartAsync();
        Admin = Node.Admin();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>An enterprise organisation (it has feature sso).</summary>
    public async Task<string> OrganisationAsync(string plan = "enterprise")
    {
        var id = TestApi.NewOrgId("iss");
        await Admin.CreateOrganisationAsync(id, plan);
        return id;
    }

    public static ProvisioningPolicy Policy(bool jit = true, string defaultRole = "member", IReadOnlyDictionary<string, string>? groupRoles = null) =>
        new(jit, defaultRole, groupRoles ?? new Dictionary<string, string>());

    public Task<SignInOutcome> SignInAsync(string orgId, string email, ProvisioningPolicy? policy = null, params string[] groups) =>
        Node.Services.GetRequiredService<ISignInService>().SignInAsync(
            new ExternalIdentity(orgId, "saml", "idp-" + email, email, null, groups), policy ?? Policy(), CancellationToken.None);

    /// <summary>Signs a person in (JIT) and returns their session's tokens.</summary>
    public async Task<SignInOutcome.SignedIn> SignedInAsync(string orgId, string email, ProvisioningPolicy? policy = null, params string[] groups)
    {
        var outcome = await SignInAsync(orgId, email, policy, groups);
        return Assert.IsType<SignInOutcome.SignedIn>(outcome);
    }

    public HttpClient Bearer(string accessToken)
    {
        var client = Node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public HttpClient Anonymous() => Node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public async Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        await Anonymous().PostAsync("/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }));
}
