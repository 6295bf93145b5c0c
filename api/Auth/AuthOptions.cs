using Microsoft.Extensions.Options;

namespace Taskee.Api.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// The platform admin key (<c>tk_&lt;id&gt;_&lt;secret&gt;</c>). When unset and no platform key exists yet,
    /// the node generates one on first start, stores its hash and prints it once.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>After a rotation, how long the previous secret of an API key keeps working.</summary>
    public TimeSpan ApiKeyRotationGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Keeps the key out of logs and option dumps.</summary>
    public override string ToString() => $"AuthOptions {{ BootstrapAdminKey = {(BootstrapAdminKey is null ? "unset" : "***")} }}";
}

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.BootstrapAdminKey is { } key && !ApiKeyToken.TryParse(key, out _)
            ? ValidateOptionsResult.Fail(
                "Auth:BootstrapAdminKey must look like tk_<id>_<secret>: id 4-32 of a-z0-9, secret 32-128 letters or digits. "
                + "Unset it to have the node generate one, or generate one with: echo tk_$(openssl rand -hex 8)_$(openssl rand -hex 32)")
            : ValidateOptionsResult.Success;
}
