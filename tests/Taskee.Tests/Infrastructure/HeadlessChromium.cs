using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Taskee.Tests.Infrastructure;

/// <summary>Debian's Chromium (tests/run.sh installs it) driven by Playwright, against a node listening on a loopback port.</summary>
public static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's chromium (tests/run.sh does).");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Starts the node on Kestrel at a free loopback port (a browser needs a real socket); returns its base address.</summary>
    public static async Task<string> StartOnLoopbackAsync(TaskeeNode node)
    {
        node.UseKestrel(0);
        node.StartServer();
        await node.StartAsync();
        return node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }
}
