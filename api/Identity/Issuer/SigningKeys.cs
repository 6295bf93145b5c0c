using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Issuer;

/// <summary>
/// Taskee's signing keys as this silo holds them, read from storage. Each key signs for one
/// <c>Auth:Issuer:RotationInterval</c>; its successor is stored (and so published) as soon as it starts signing, a whole
/// interval before it is needed, so every JWKS cache has it in time. A retired key stays published for the access token
/// lifetime plus <see cref="IssuerOptions.RetiredKeyGrace"/>. Rotation needs no leader: a key's generation is unique, so
/// silos that rotate at once store one key between them and all read that one. Keys are re-read on a timer
/// (<see cref="SigningKeyRefresher"/>) and when a token names a key this silo does not know.
/// </summary>
public sealed partial class SigningKeys(IIssuerStore store, IDataProtectionProvider protection, IOptions<IssuerOptions> options, TimeProvider clock, ILogger<SigningKeys> logger)
{
    public const string ProtectorPurpose = "Taskee.Issuer.SigningKeys.v1";

    // A flood of tokens with made-up kids costs at most one read of the keys per interval.
    private static readonly TimeSpan UnknownKidReloadInterval = TimeSpan.FromSeconds(5);

    private readonly IDataProtector _protector = protection.CreateProtector(ProtectorPurpose);
    private readonly SemaphoreSlim _ensure = new(1, 1);
    private volatile IReadOnlyList<LoadedKey> _keys = [];
    private long _lastUnknownReload;

    private sealed class LoadedKey(SigningKeyRecord record, JsonWebKey publicKey, IDataProtector protector)
    {
        private readonly Lazy<ECDsaSecurityKey> _private = new(() =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(record.ProtectedPrivateKey)), out _);
            return new ECDsaSecurityKey(ecdsa) { KeyId = record.Kid };
        });

        public SigningKeyRecord Record => record;
        public JsonWebKey Public => publicKey;
        public ECDsaSecurityKey Private => _private.Value;
    }

    /// <summary>The keys a validator should accept now: every key published at this moment.</summary>
    public IEnumerable<JsonWebKey> Published() => PublishedNow().Select(k => k.Public);

    /// <summary>The public JWKs published now, as stored (JSON objects), for the JWKS document.</summary>
    public IEnumerable<string> PublishedJson() => PublishedNow().Select(k => k.Record.PublicJwk);

    private IEnumerable<LoadedKey> PublishedNow()
    {
        var now = clock.GetUtcNow();
        var retiredFor = options.Value.PublishRetiredFor;
        return _keys.Where(k => now < k.Record.SignsUntil + retiredFor);
    }

    /// <summary>The credentials to sign with now; creates the current or next key first when storage lacks one.</summary>
    public async Task<SigningCredentials> SigningCredentialsAsync(CancellationToken ct)
    {
        if (Current(_keys, clock.GetUtcNow()) is not { HasSuccessor: true, Key: { } key })
        {
            await EnsureAsync(ct);
            key = Current(_keys, clock.GetUtcNow()).Key ?? throw new InvalidOperationException("No signing key after rotation.");
        }
        return new SigningCredentials(key.Private, SecurityAlgorithms.EcdsaSha256) { CryptoProviderFactory = CryptoProviderFactory.Default };
    }

    /// <summary>True when <paramref name="kid"/> is one of ours; an unknown kid re-reads the keys first (rate-limited).</summary>
    public async ValueTask<bool> KnowsAsync(string kid, CancellationToken ct)
    {
        if (_keys.Any(k => k.Record.Kid == kid)) return true;
        var now = clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastUnknownReload);
        if (now - last < UnknownKidReloadInterval.Ticks || Interlocked.CompareExchange(ref _lastUnknownReload, now, last) != last) return false;
        await ReloadAsync(ct);
        return _keys.Any(k => k.Record.Kid == kid);
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        var records = await store.ListKeysAsync(ct);
        var known = _keys.ToDictionary(k => k.Record.Kid, StringComparer.Ordinal);
        _keys = records.Select(r => known.TryGetValue(r.Kid, out var k) ? k : new LoadedKey(r, ReadPublic(r), _protector)).ToList();
    }

    /// <summary>Makes sure a key signs now and its successor is published; safe on every silo at once.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        await _ensure.WaitAsync(ct);
        try
        {
            for (var attempt = 0; attempt < 4; attempt++)
            {
                await ReloadAsync(ct);
                var now = clock.GetUtcNow();
                var (current, hasSuccessor) = Current(_keys, now);
                if (current is not null && hasSuccessor) return;
                var rotation = options.Value.RotationInterval;
                var next = current is null
                    ? NewKey(_keys.Count == 0 ? 1 : _keys.Max(k => k.Record.Generation) + 1, now, now + rotation, now)
                    : NewKey(current.Record.Generation + 1, current.Record.SignsUntil, current.Record.SignsUntil + rotation, now);
                if (await store.AddKeyAsync(next, ct)) LogKeyCreated(next.Kid, next.Generation, next.SignsFrom, next.SignsUntil);
            }
            throw new InvalidOperationException("Could not settle the signing keys after four attempts.");
        }
        finally
        {
            _ensure.Release();
        }
    }

    private static (LoadedKey? Key, bool HasSuccessor) Current(IReadOnlyList<LoadedKey> keys, DateTimeOffset now)
    {
        var current = keys.Where(k => k.Record.SignsFrom <= now && now < k.Record.SignsUntil).MaxBy(k => k.Record.Generation);
        return (current, current is not null && keys.Any(k => k.Record.Generation == current.Record.Generation + 1));
    }

    internal SigningKeyRecord NewKey(long generation, DateTimeOffset signsFrom, DateTimeOffset signsUntil, DateTimeOffset now)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var kid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
        var jwk = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "EC", ["use"] = "sig", ["alg"] = IssuerOptions.Algorithm, ["kid"] = kid, ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X), ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        });
        var pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        var protectedKey = Convert.ToBase64String(_protector.Protect(pkcs8));
        CryptographicOperations.ZeroMemory(pkcs8);
        return new SigningKeyRecord(kid, generation, IssuerOptions.Algorithm, jwk, protectedKey, now, signsFrom, signsUntil,
            signsUntil + options.Value.PublishRetiredFor);
    }

    private static JsonWebKey ReadPublic(SigningKeyRecord record) => new(record.PublicJwk);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Signing key {Kid} (generation {Generation}) stored: signs from {SignsFrom:o} until {SignsUntil:o}")]
    private partial void LogKeyCreated(string kid, long generation, DateTimeOffset signsFrom, DateTimeOffset signsUntil);
}
