using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Taskee.Api.Auth.Jwt;

public static class JwtServiceCollectionExtensions
{
    /// <summary>
    /// Token issuers: options, the registry of issuers and their JwtBearer options, the JWKS client and the monitor.
    /// The scheme itself is added with the other authentication schemes.
    /// </summary>
    public static IServiceCollection AddTaskeeJwt(this IServiceCollection services)
    {
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();

        // A key seen for the first time is fetched before the token is judged (not in the background after it was refused):
        // the first request signed with a rotated key succeeds. Refreshes stay rate-limited by RefreshMinInterval.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);

        // Discovery and JWKS requests sit on the request path when a kid is new: short attempts, two quick retries;
        // the breaker keeps the standard thresholds (ConfigurationManager already limits how often an issuer is asked).
        services.AddHttpClient(IssuerRegistry.HttpClientName).AddStandardResilienceHandler(o =>
        {
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.Delay = TimeSpan.FromMilliseconds(250);
        });

        services.AddSingleton<IssuerRegistry>();
        services.AddSingleton<JwtCallerEvents>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerIssuerOptions>();
        services.AddSingleton<JwksMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<JwksMonitor>());
        return services;
    }
}
