using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Sales.Crm;

/// <summary>The HTTP client the CRM adapters share: <c>Crm:BaseUrl</c> as its base (with a trailing slash, so relative paths append) and <c>Crm:Timeout</c>.</summary>
public static class CrmHttp
{
    public const string ClientName = "crm";

    public static IServiceCollection AddCrmHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, (sp, client) =>
        {
            var options = sp.GetRequiredService<IOptions<CrmOptions>>().Value;
            if (Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl))
                client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
            client.Timeout = options.Timeout;
        });
        return services;
    }
}
