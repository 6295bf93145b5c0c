using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Documents;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>Contract documents: the settings (a configured Chromium path checked at start-up) and the PDF printer.</summary>
    public static IServiceCollection AddTaskeeDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocumentOptions>, DocumentOptionsValidator>();
        services.AddSingleton<ChromiumPdf>();
        return services;
    }
}
