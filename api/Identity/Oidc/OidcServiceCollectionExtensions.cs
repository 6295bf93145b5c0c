using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Taskee.Api.Auth.Jwt;

namespace Taskee.Api.Identity.Oidc;

public static class OidcServiceCollectionExtensions
{
    /// <summary>
    /// OIDC sign-in: the schemes per organisation, their options and events, the secret protector and the back-channel
    /// client. The sign-in service (<see cref="SignIn.ISignInService"/>) it ends in is registered by the token issuer.
    /// </summary>
    public static IServiceCollection AddTaskeeOidc(this IServiceCollection services)
    {
        services.AddSingleton<OidcSchemes>();
        services.AddSingleton<ISsoSettingsListener>(sp => sp.GetRequiredService<OidcSchemes>());
        services.AddSingleton<OidcClientSecrets>();
        services.AddSingleton<OidcSignInEvents>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, OidcSchemeOptions>();
        // What AddOpenIdConnect would register; the schemes themselves come and go with the organisations' settings.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        // Replace, not TryAdd: AddAuthentication's TryAdd then keeps this one, whichever is called first.
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, OidcSchemeProvider>());

        // The code redemption is not retried: a code is good for one use, and a retry after a lost answer would spend it.
        services.AddHttpClient(OidcSchemeOptions.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }
}
