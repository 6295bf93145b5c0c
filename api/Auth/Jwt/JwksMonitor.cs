using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Auth.Jwt;

/// <summary>
/// Asks every issuer's ConfigurationManager for its configuration on a short period, so keys are refreshed on schedule
/// even without traffic and a failing issuer is retried, and raises the alerts: a structured log event, a metric
/// (<c>taskee.auth.jwks_alerts</c>) and a platform audit event, once per episode, when an issuer's JWKS has been
/// unreachable longer than StaleAfter, or a key expires within ExpiryWarning.
/// </summary>
public sealed partial class JwksMonitor(
    IssuerRegistry issuers,
    IAuditStore audit,
    StartupGate gate,
    IOptions<JwtOptions> options,
    TimeProvider clock,
    ILogger<JwksMonitor> logger) : BackgroundService
{
    public const string MeterName = "Taskee.Auth";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Alerts = Meter.CreateCounter<long>("taskee.auth.jwks_alerts", "{alert}", "JWKS stale or key-expiry alerts raised");
    private readonly HashSet<string> _raised = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!gate.IsOpen) await Task.Delay(50, stoppingToken); // SSO issuers are known from the first round on
        var period = TimeSpan.FromTicks(Math.Min(options.Value.RefreshMinInterval.Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period, clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(ex);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: let each issuer's manager refresh what is due, then raise or clear alerts.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        var o = options.Value;
        await issuers.ReloadAsync(ct);
        foreach (var issuer in issuers.All.Select(i => i.Metadata))
        {
            try
            {
                await issuer.Manager.GetConfigurationAsync(ct);
            }
            catch (InvalidOperationException)
            {
                // No configuration was ever read: IssuerMetadata recorded why, and the stale alert below reports it.
            }

            await RaiseOnceAsync($"stale:{issuer.Issuer}", issuer.IsStale(clock.GetUtcNow()), "auth.jwks.stale", issuer.Issuer,
                new { issuer = issuer.Issuer, lastSuccess = issuer.LastSuccess, lastError = issuer.LastError }, ct);
            foreach (var key in issuer.Keys)
            {
                var expiring = key.ExpiresAt is { } at && at - clock.GetUtcNow() <= o.ExpiryWarning;
                await RaiseOnceAsync($"expiry:{issuer.Issuer}:{key.Kid}", expiring, "auth.key.expiring", issuer.Issuer,
                    new { issuer = issuer.Issuer, kid = key.Kid, expiresAt = key.ExpiresAt }, ct);
            }
        }
    }

    private async Task RaiseOnceAsync(string episode, bool active, string action, string issuer, object details, CancellationToken ct)
    {
        if (!active)
        {
            _raised.Remove(episode);
            return;
        }
        if (!_raised.Add(episode)) return;

        var json = JsonSerializer.Serialize(details, AuditJsonOptions.Options);
        LogAlert(action, issuer, json);
        Alerts.Add(1, new KeyValuePair<string, object?>("alert", action));
        await audit.AppendAsync(AuditEvent.PlatformChain, new AuditRecord(action, $"auth/issuers/{issuer}", null, json),
            new ChangeContext(AuditActor.System, null, null), ct);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Auth alert {Alert} for issuer {Issuer}: {Details}")]
    private partial void LogAlert(string alert, string issuer, string details);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "JWKS check failed")]
    private partial void LogCheckFailed(Exception exception);
}
