using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Webhooks;

/// <summary>
/// Which URLs an endpoint may have. The shape (<see cref="ValidateShape"/>) is checked with the rest of the body; the
/// scheme and the target address depend on this node's settings and on DNS, so <see cref="CheckTargetAsync"/> runs in
/// the handler once the caller is known to be allowed. Delivery checks the address again at connect time (DNS rebinding).
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options, ILogger<WebhookUrlPolicy> logger)
{
    public const int MaxLength = 2048;

    /// <summary>Long enough for a slow resolver, short enough that a request never hangs on one.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Adds an error for a URL that is not absolute http(s), is too long or carries user-info; true when it is well-formed.</summary>
    public static bool ValidateShape(string? url, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add("url", "url is required: the absolute https:// URL to deliver to.");
            return false;
        }
        if (url.Length > MaxLength)
        {
            errors.Add("url", $"url must be at most {MaxLength} characters.");
            return false;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            errors.Add("url", "url must be an absolute https:// URL, like https://hooks.example.com/taskee.");
            return false;
        }
        if (uri.UserInfo.Length > 0)
        {
            errors.Add("url", "url must not contain a user name or password (user:pass@); authenticate the message by its signature.");
            return false;
        }
        return true;
    }

    /// <summary>
    /// The reason a well-formed URL is refused on this node, or null when it is accepted: <c>http</c> unless
    /// <c>Webhooks:AllowInsecureUrls</c>; a host that is, or resolves to, an address that is not public unless
    /// <c>Webhooks:AllowPrivateTargets</c>; a host that does not resolve.
    /// </summary>
    public async Task<string?> CheckTargetAsync(string url, CancellationToken ct)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var settings = options.Value;
        if (uri.Scheme != "https" && !settings.AllowInsecureUrls)
            return "url must use https:// (payloads and signatures would travel in the clear); this node does not allow http (Webhooks:AllowInsecureUrls).";

        var host = uri.IdnHost;
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(host, out var literal))
            return settings.AllowPrivateTargets || WebhookTargets.IsPublic(literal) ? null : NotPublic(host, literal);

        var addresses = await ResolveAsync(host, ct);
        if (addresses is null or { Length: 0 })
            return $"url host '{host}' could not be resolved (DNS, within {ResolveTimeout.TotalSeconds:0} s); check the name.";
        if (settings.AllowPrivateTargets) return null;
        return addresses.FirstOrDefault(a => !WebhookTargets.IsPublic(a)) is { } internalAddress ? NotPublic(host, internalAddress) : null;
    }

    private static string NotPublic(string host, IPAddress address) =>
        $"url host '{host}' is or resolves to {address}, a loopback, private, link-local or otherwise non-public address; "
        + "webhooks are delivered to public addresses only (Webhooks:AllowPrivateTargets is for development).";

    private async Task<IPAddress[]?> ResolveAsync(string host, CancellationToken ct)
    {
        try
        {
            // WaitAsync bounds the wait even where the platform's resolver cannot be cancelled.
            return await Dns.GetHostAddressesAsync(host, ct).WaitAsync(ResolveTimeout, ct);
        }
        catch (SocketException ex)
        {
            WebhookLog.HostUnresolved(logger, host, ex.SocketErrorCode.ToString());
            return null;
        }
        catch (TimeoutException)
        {
            WebhookLog.HostUnresolved(logger, host, "timeout");
            return null;
        }
    }
}
