using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Taskee.Api.Identity.SignIn;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>
/// Stands in for the token issuer's sign-in service until it is on main: records whom it was asked to sign in and
/// answers a fixed 303 (browser) or JSON. Registered in these tests only. Lets a test tell "reached sign-in with this
/// identity" from "refused before".
/// </summary>
public sealed class RecordingSignInService : ISignInService
{
    private readonly ConcurrentQueue<(ExternalIdentity Identity, ProvisioningPolicy Policy)> _calls = new();

    public IReadOnlyList<(ExternalIdentity Identity, ProvisioningPolicy Policy)> CallsFor(string orgId) =>
        _calls.Where(c => c.Identity.OrgId == orgId).ToList();

    public Task<SignInOutcome> SignInAsync(ExternalIdentity identity, ProvisioningPolicy policy, CancellationToken ct)
    {
        _calls.Enqueue((identity, policy));
        return Task.FromResult<SignInOutcome>(new SignInOutcome.SignedIn(identity.OrgId, "m-test", [policy.DefaultRole],
            new TokenSet("test-access-token", "Bearer", 900, "test-refresh-token")));
    }

    public IResult Complete(HttpContext http, SignInOutcome outcome, string? returnTo) => outcome switch
    {
        SignInOutcome.SignedIn s when http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal) =>
            TypedResults.Json(new { access_token = s.Tokens.AccessToken, return_to = returnTo }),
        SignInOutcome.SignedIn => new SeeOther(returnTo ?? "/"),
        SignInOutcome.Refused f => TypedResults.Problem(statusCode: f.Status, title: f.Title, detail: f.Detail),
        _ => throw new InvalidOperationException(),
    };

    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

/// <summary>A node on its own database with <see cref="RecordingSignInService"/> as the sign-in service, shared by a test class.</summary>
public sealed class SamlNodeFixture : IAsyncLifetime
{
    public const string BaseUrl = "https://taskee.test";

    private TestDatabase? _database;
    private TaskeeNode? _node;

    public WebApplicationFactory<Program> Node { get; private set; } = null!;

    public RecordingSignInService SignIn { get; } = new();

    public TestDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // The node is never started itself: only this variation of it, with the sign-in service swapped.
        _node = new TaskeeNode(_database, new Dictionary<string, string?> { ["Auth:Issuer:Url"] = BaseUrl });
        Node = await StartWithAsync(_node, SignIn);
    }

    /// <summary>Starts a variation of <paramref name="node"/> whose sign-in service is <paramref name="signIn"/>, once ready.</summary>
    public static async Task<WebApplicationFactory<Program>> StartWithAsync(TaskeeNode node, ISignInService signIn)
    {
        var started = node.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(signIn)));
        using var client = started.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await client.GetAsync("/health/ready")).IsSuccessStatusCode)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The node did not become ready.");
            await Task.Delay(50);
        }
        return started;
    }

    /// <summary>A client that does not follow redirects (the tests read them) and asks for JSON answers.</summary>
    public HttpClient Client(string? apiKey, bool json = true)
    {
        var client = Node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (json) client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient Admin() => Client(TaskeeNode.AdminKey);

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_node is not null) await _node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
