using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Taskee.Api.Auth;

/// <summary>
/// API keys look like <c>tk_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the stored record; only the
/// SHA-256 of the secret is stored. A fast hash is enough because generated secrets carry 256 random bits.
/// </summary>
public static partial class ApiKeyToken
{
    public const string Prefix = "tk_";

    public sealed record Parts(string Id, string Secret);

    public static bool TryParse(string? token, out Parts parts)
    {
        parts = new Parts("", "");
        if (token is null) return false;
        var match = TokenPattern().Match(token);
        if (!match.Success) return false;
        parts = new Parts(match.Groups["id"].Value, match.Groups["secret"].Value);
        return true;
    }

    public static (string Token, Parts Parts) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id}_{secret}", new Parts(id, secret));
    }

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool SecretMatches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashSecret(secret)), Encoding.ASCII.GetBytes(storedHash));

    [GeneratedRegex("^tk_(?<id>[a-z0-9]{4,32})_(?<secret>[A-Za-z0-9]{32,128})$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
