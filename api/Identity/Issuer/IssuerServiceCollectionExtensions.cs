using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Taskee.Api.Identity.SignIn;
using Taskee.Grains.Jobs;

namespace Taskee.Api.Identity.Issuer;

public static class IssuerServiceCollectionExtensions
{
    /// <summary>
    /// Taskee as a token issuer: options, Data Protection on the database, signing keys and their refresh and rotation,
    /// sessions, the sign-in service the SAML and OIDC sign-ins end in, and the options of the two token schemes
    /// (the schemes themselves are added with the other authentication schemes).
    /// </summary>
    public static IServiceCollection AddTaskeeIssuer(this IServiceCollection services)
    {
        services.AddOptions<IssuerOptions>().BindConfiguration(IssuerOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<IssuerOptions>, IssuerOptionsDefaults>();
        services.AddSingleton<IValidateOptions<IssuerOptions>, IssuerOptionsValidator>();
        services.AddTaskeeDataProtection();

        services.AddSingleton<SigningKeys>();
        services.AddHostedService<SigningKeyRefresher>();
        services.AddSingleton<IPeriodicJob, IssuerMaintenanceJob>();
        services.AddSingleton<SessionTokens>();
        services.AddHttpContextAccessor();
        services.AddSingleton<ISignInService, SignInService>();

        services.AddSingleton<TaskeeTokenEvents>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, TaskeeTokenScheme.Options>();
        return services;
    }
}
