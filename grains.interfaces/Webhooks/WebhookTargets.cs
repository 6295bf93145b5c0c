using System.Net;
using System.Net.Sockets;

namespace Taskee.Grains.Interfaces;

/// <summary>
/// Which addresses a webhook may be delivered to. Checked when an endpoint is saved and again for the address each
/// connection really goes to, so a name that later resolves to an internal address (DNS rebinding) is still refused.
/// </summary>
public static class WebhookTargets
{
    /// <summary>
    /// False for loopback, private (RFC 1918, unique local), link-local (cloud metadata lives there), shared (CGNAT),
    /// unspecified, multicast, broadcast and documentation/benchmark ranges; IPv4-mapped IPv6 is judged as IPv4.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] == 0                                    // "this network"
                || b[0] == 10                                     // private
                || (b[0] == 100 && (b[1] & 0xC0) == 64)           // shared address space (CGNAT) 100.64/10
                || (b[0] == 169 && b[1] == 254)                   // link-local, cloud metadata
                || (b[0] == 172 && (b[1] & 0xF0) == 16)           // private 172.16/12
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)        // IETF protocol assignments
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)        // documentation
                || (b[0] == 192 && b[1] == 168)                   // private
                || (b[0] == 198 && (b[1] & 0xFE) == 18)           // benchmarking 198.18/15
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)     // documentation
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)      // documentation
                || b[0] >= 224);                                  // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast || address.IsIPv6UniqueLocal) return false;
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false; // documentation 2001:db8::/32
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return false; // NAT64 can reach IPv4 inside
            return true;
        }

        return false;
    }
}
