using System.Net;
using System.Net.Sockets;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Webhooks;

/// <summary>
/// The HTTP handler of outgoing webhooks. It resolves the host itself and connects to an address it has checked, so a
/// name that resolves to an internal address when the connection is made (DNS rebinding) is refused just the same; it
/// follows no redirect, keeps no cookies, uses no proxy (a proxy would connect on our behalf, unchecked), does not
/// decompress, and closes a connection whose answer it stopped reading instead of draining it.
/// </summary>
public static class WebhookHttpHandler
{
    /// <summary>Connections to one host at a time; each endpoint has one queue attempt in flight, so this only binds a host many endpoints share.</summary>
    public const int MaxConnectionsPerHost = 32;

    public static SocketsHttpHandler Create(bool allowPrivateTargets) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = MaxConnectionsPerHost,
        MaxResponseHeadersLength = 64, // KB
        MaxResponseDrainSize = 0,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowPrivateTargets, ct),
    };

    /// <summary>Resolves <paramref name="target"/>, keeps the addresses webhooks may reach, connects to one of those.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint target, bool allowPrivateTargets, CancellationToken ct)
    {
        var host = target.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivateTargets ? addresses : addresses.Where(WebhookTargets.IsPublic).ToArray();
        if (allowed.Length == 0) throw new WebhookTargetRefusedException(host, addresses);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, target.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
