using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Taskee.Api.Webhooks;
using Taskee.Tests.Identity;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Webhooks;

/// <summary>
/// A node with the production webhook rules (https only, public targets only) that trusts a test identity provider
/// (for role tokens, platform-support among them), records which endpoints the API woke instead of delivering, and
/// keeps every log line it writes, so tests can assert what never appears in them.
/// </summary>
public sealed class WebhookNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestIdentityProvider Identity { get; private set; } = null!;
    public TaskeeNode Node { get; private set; } = null!;
    public RecordingWake Wakes { get; } = new();
    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Identity = await TestIdentityProvider.StartAsync();
        _database = await TestDatabase.CreateAsync();
        Node = await new TaskeeNode(_database, new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = Identity.Issuer,
            ["Auth:Jwt:Audience"] = TestIdentityProvider.Audience,
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            // Information and up reaches the captured logs; the console stays at warnings.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:Console:LogLevel:Default"] = "Warning",
        }, services: services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IWebhookWake>(Wakes));
            services.AddSingleton<ILoggerProvider>(Logs);
        }).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        await Identity.DisposeAsync();
    }
}

/// <summary>Stands in for the endpoint grains: remembers each wake, delivers nothing.</summary>
public sealed class RecordingWake : IWebhookWake
{
    private readonly ConcurrentQueue<string> _woken = new();

    public IReadOnlyList<string> Woken => _woken.ToArray();

    public Task WakeAsync(string webhookId)
    {
        _woken.Enqueue(webhookId);
        return Task.CompletedTask;
    }
}

/// <summary>Every formatted log message of the node, with its exception, as text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {eventId.Id}: {formatter(state, exception)} {exception}");
    }
}
