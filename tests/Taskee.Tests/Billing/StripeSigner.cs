using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Taskee.Tests.Billing;

/// <summary>Signs deliveries the way Stripe does, written independently of the code under test.</summary>
public static class StripeSigner
{
    public const string Secret = "whsec_test_current_5b1f0e6a9c2d4e8f";
    public const string PreviousSecret = "whsec_test_previous_7c3a2b1d0e9f8a6b";

    public static string V1(string secret, long timestamp, string body) => V1(secret, timestamp.ToString(CultureInfo.InvariantCulture), body);

    /// <summary>Over the timestamp's text as the header carries it, whatever it is.</summary>
    public static string V1(string secret, string timestamp, string body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var mac = hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "." + body));
        return Convert.ToHexString(mac).ToLowerInvariant();
    }

    public static string Header(long timestamp, params string[] v1) =>
        $"t={timestamp}," + string.Join(",", v1.Select(s => $"v1={s}"));

    public static string Sign(string body, DateTimeOffset at, string secret = Secret) =>
        Header(at.ToUnixTimeSeconds(), V1(secret, at.ToUnixTimeSeconds(), body));
}
