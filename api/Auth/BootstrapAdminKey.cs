using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Auth;

/// <summary>Makes sure a platform admin key exists: the configured one, or a generated one printed once.</summary>
public sealed partial class BootstrapAdminKey(IApiKeyStore keys, IOptions<AuthOptions> options, TimeProvider clock, ILogger<BootstrapAdminKey> logger)
{
    private static readonly ChangeContext System = new(AuditActor.System, RequestId: null, Ip: null);

    public async Task EnsureAsync(CancellationToken ct)
    {
        if (options.Value.BootstrapAdminKey is { } configured)
        {
            ApiKeyToken.TryParse(configured, out var parts);
            var existing = await keys.FindAsync(parts.Id, ct);
            if (existing is null)
            {
                await StoreAsync(parts, "bootstrap admin key (configured)", ct);
                LogConfiguredKeyStored(parts.Id);
            }
            else if (existing.OrgId is not null || !ApiKeyToken.SecretMatches(parts.Secret, existing.SecretHash))
            {
                throw new InvalidOperationException(
                    $"Auth:BootstrapAdminKey has id '{parts.Id}', which is already stored for a different key. Choose a new key id.");
            }
            return;
        }

        if (await keys.AnyPlatformKeyAsync(ct)) return;

        var (token, generated) = ApiKeyToken.Generate();
        await StoreAsync(generated, "bootstrap admin key (generated)", ct);
        LogGeneratedKey(generated.Id);
        // Printed once, to the console only: it is never stored or logged in clear.
        Console.WriteLine();
        Console.WriteLine("  Platform admin key (shown once; store it now, only its hash is kept):");
        Console.WriteLine($"  {token}");
        Console.WriteLine();
    }

    private Task StoreAsync(ApiKeyToken.Parts parts, string name, CancellationToken ct)
    {
        var record = new ApiKeyRecord(parts.Id, OrgId: null, name, [Roles.PlatformAdmin],
            ApiKeyToken.HashSecret(parts.Secret), clock.GetUtcNow(), ExpiresAt: null, RevokedAt: null);
        var audit = new AuditRecord("apikey.created", $"api-keys/{parts.Id}", null, $$"""{"id":"{{parts.Id}}","name":"{{name}}","scopes":["platform-admin"]}""");
        return keys.CreateAsync(record, audit, System, ct);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "No platform admin key existed; generated key {KeyId} and printed it to the console once")]
    private partial void LogGeneratedKey(string keyId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Stored the configured bootstrap admin key {KeyId}")]
    private partial void LogConfiguredKeyStored(string keyId);
}
