using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Ops;
using Taskee.Grains.Quota;
using Taskee.Silo.Storage;

namespace Taskee.Silo;

/// <summary>
/// OpenTelemetry for the node: metrics to OTLP (<c>Otlp:Endpoint</c>) and/or a Prometheus scrape endpoint
/// (<c>Metrics:Prometheus</c>), traces to OTLP. With neither, no SDK is registered at all, so the product API pays
/// nothing for instruments nobody listens to.
/// </summary>
public static class Telemetry
{
    /// <summary>Our own meters: quota engine, product API, auth alerts, storage, audit lag, Stripe webhooks, outgoing webhooks, retention.</summary>
    private static readonly string[] TaskeeMeters =
        [QuotaMetrics.MeterName, TrafficMeter.MeterName, JwksMonitor.MeterName, StorageTelemetry.MeterName, "Taskee.Audit", "Taskee.Billing",
         Taskee.Grains.Webhooks.WebhookMetrics.MeterName, Taskee.Api.Retention.RetentionMetrics.MeterName];

    /// <summary>Orleans' grain-call activities (with <c>AddActivityPropagation</c>, which carries the trace across silos).</summary>
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static WebApplicationBuilder AddTaskeeTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = OtlpExport.From(builder.Configuration);
        var prometheus = PrometheusScrape.From(builder.Configuration);
        if (otlp is null && prometheus is null) return builder;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("taskee-control-plane"))
            .WithMetrics(m =>
            {
                m.AddMeter(TaskeeMeters).AddMeter("Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddNpgsqlInstrumentation();
                if (otlp is not null)
                    m.AddOtlpExporter((o, reader) =>
                    {
                        otlp.Configure(o, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.MetricsInterval.TotalMilliseconds;
                    });
                if (prometheus is not null) m.AddPrometheusExporter();
            });

        // Prometheus takes metrics only: traces are recorded when there is a collector to send them to.
        if (otlp is not null)
        {
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments(PrometheusScrape.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(StorageTelemetry.SourceName)
                .AddSource(OrleansSources)
                .AddOtlpExporter(o => otlp.Configure(o, "v1/traces")));
            builder.UseOrleans(silo => silo.AddActivityPropagation());
        }

        if (prometheus is not null)
        {
            builder.Services.AddSingleton(prometheus);
            prometheus.Listen(builder);
        }
        return builder;
    }

    /// <summary>The scrape endpoint, when <c>Metrics:Prometheus</c> is on; called before the API's pipeline.</summary>
    public static WebApplication UseTaskeeMetrics(this WebApplication app)
    {
        if (app.Services.GetService<PrometheusScrape>() is not { } prometheus) return app;
        prometheus.Guard(app);
        app.MapPrometheusScrapingEndpoint(PrometheusScrape.Path).ExcludeFromDescription();
        return app;
    }
}
