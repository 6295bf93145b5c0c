using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Taskee.Api.Auth.Jwt;
using Taskee.Api.Ops;
using Taskee.Grains.Quota;
using Taskee.Silo.Storage;

namespace Taskee.Silo;

/// <summary>
/// Metrics and traces over OTLP when <c>Otlp:Endpoint</c> is set: our meters (quota, API, auth, audit), the
/// runtime's and ASP.NET Core's built-in instruments, and traces of requests and storage calls.
/// </summary>
public static class Telemetry
{
    public const string EndpointSetting = "Otlp:Endpoint";
    public const string ProtocolSetting = "Otlp:Protocol";
    public const string MetricsIntervalSetting = "Otlp:MetricsInterval";

    public static WebApplicationBuilder AddTaskeeTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint)) return builder;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new Microsoft.Extensions.Options.OptionsValidationException(EndpointSetting, typeof(string),
                [$"{EndpointSetting} '{endpoint}' is not an absolute URL, e.g. http://otel-collector:4317."]);

        var protocol = builder.Configuration[ProtocolSetting] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new Microsoft.Extensions.Options.OptionsValidationException(ProtocolSetting, typeof(string),
                [$"{ProtocolSetting} '{other}' is not supported; use 'grpc' (port 4317) or 'http/protobuf' (port 4318)."]),
        };
        var interval = builder.Configuration.GetValue(MetricsIntervalSetting, TimeSpan.FromSeconds(15));

        var sdk = OpenTelemetrySdk.Create(otel => otel
            .ConfigureResource(r => r.AddService("taskee-control-plane"))
            .WithMetrics(m => m
                .AddMeter(QuotaMetrics.MeterName, TrafficMeter.MeterName, JwksMonitor.MeterName, StorageTelemetry.MeterName, "Taskee.Audit", "Taskee.Billing", "Microsoft.Orleans")
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", "System.Net.Http")
                .AddOtlpExporter((o, reader) =>
                {
                    Configure(o, uri, protocol, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                }))
            .WithTracing(t => t
                .AddSource("Microsoft.AspNetCore", "System.Net.Http", StorageTelemetry.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddOtlpExporter(o => Configure(o, uri, protocol, "v1/traces"))));
        builder.Services.AddSingleton(sdk); // disposed with the host: flushes what is buffered
        return builder;
    }

    /// <summary>Over HTTP each signal has its own path under the collector's base address; gRPC takes the address as is.</summary>
    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string httpPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, httpPath) : endpoint;
    }
}
