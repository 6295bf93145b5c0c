using System.Globalization;
using Microsoft.Extensions.Options;
using Taskee.Api.Infrastructure;

namespace Taskee.Silo;

/// <summary>
/// The Prometheus scrape endpoint, <c>GET /metrics</c>, served when <c>Metrics:Prometheus</c> is true. It has no
/// authentication (scrapers carry no API key), so it is off by default; with <c>Metrics:PrometheusPort</c> it is
/// answered only on that port of the node's addresses, and that port answers nothing else, so a firewall or network
/// policy can open it to the scrapers alone while the API port never shows it.
/// </summary>
internal sealed record PrometheusScrape(int? Port)
{
    public const string EnabledSetting = "Metrics:Prometheus";
    public const string PortSetting = "Metrics:PrometheusPort";
    public const string Path = "/metrics";

    /// <summary>The endpoint the configuration asks for, or null; a bad value stops the start-up naming the setting.</summary>
    public static PrometheusScrape? From(IConfiguration configuration)
    {
        var enabled = configuration[EnabledSetting];
        var port = configuration[PortSetting];
        var on = false;
        if (!string.IsNullOrWhiteSpace(enabled) && !bool.TryParse(enabled, out on))
            throw Invalid(EnabledSetting, $"{EnabledSetting} '{enabled}' is not true or false.");

        if (string.IsNullOrWhiteSpace(port)) return on ? new PrometheusScrape((int?)null) : null;
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            throw Invalid(PortSetting, $"{PortSetting} '{port}' is not a TCP port (1 to 65535).");
        if (!on)
            throw Invalid(PortSetting, $"{PortSetting} is set but {EnabledSetting} is not true; set both, or neither.");
        return new PrometheusScrape(number);
    }

    /// <summary>With a port of its own, the node listens on it too, on the hosts of <c>Urls</c> (plain HTTP).</summary>
    public void Listen(WebApplicationBuilder builder)
    {
        if (Port is not { } port) return;
        var urls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var metrics = urls.Select(Host).Distinct(StringComparer.OrdinalIgnoreCase).Select(host => $"http://{host}:{port}");
        builder.WebHost.UseUrls([.. urls, .. metrics]);
    }

    /// <summary>The host of a listen URL as Kestrel reads it: a name, an address, <c>[::1]</c>, <c>*</c> or <c>+</c>.</summary>
    private static string Host(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        if (authority.StartsWith('[')) return authority[..(authority.IndexOf(']') + 1)];
        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    /// <summary>
    /// Before the API's pipeline: with a port of its own, a scrape elsewhere and anything else on that port are a 404
    /// problem, decided by the port the connection came in on (not the Host header, which the caller chooses).
    /// </summary>
    public void Guard(WebApplication app)
    {
        if (Port is not { } port) return;
        app.Use(async (context, next) =>
        {
            var onMetricsPort = context.Connection.LocalPort == port;
            if (onMetricsPort == (context.Request.Path == Path))
            {
                await next(context);
                return;
            }
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not Found", onMetricsPort
                ? $"Port {port} serves only the Prometheus scrape endpoint {Path}."
                : $"The Prometheus scrape endpoint is served on port {port} ({PortSetting}).");
        });
    }

    private static OptionsValidationException Invalid(string setting, string message) => new(setting, typeof(string), [message]);
}
