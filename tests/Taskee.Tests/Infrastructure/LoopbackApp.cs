using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Taskee.Tests.Infrastructure;

/// <summary>A quiet web app on 127.0.0.1 with a random port, for a fake of a service the node calls (Stripe, a CRM).</summary>
public static class LoopbackApp
{
    /// <summary>Starts an app that answers every request with <paramref name="handler"/>; returns it with its base URL.</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Map("/{**path}", handler);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
