using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace Taskee.Silo;

/// <summary>
/// Where and how the node pushes metrics and traces over OTLP: <c>Otlp:Endpoint</c> (absolute URL; unset means no
/// export), <c>Otlp:Protocol</c> (<c>grpc</c> or <c>http/protobuf</c>) and <c>Otlp:MetricsInterval</c>.
/// </summary>
internal sealed record OtlpExport(Uri Endpoint, OtlpExportProtocol Protocol, TimeSpan MetricsInterval)
{
    public const string EndpointSetting = "Otlp:Endpoint";
    public const string ProtocolSetting = "Otlp:Protocol";
    public const string MetricsIntervalSetting = "Otlp:MetricsInterval";

    /// <summary>The export the configuration asks for, or null; a bad value stops the start-up naming the setting.</summary>
    public static OtlpExport? From(IConfiguration configuration)
    {
        var endpoint = configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint)) return null;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new OptionsValidationException(EndpointSetting, typeof(string),
                [$"{EndpointSetting} '{endpoint}' is not an absolute URL, e.g. http://otel-collector:4317."]);

        var protocol = configuration[ProtocolSetting] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new OptionsValidationException(ProtocolSetting, typeof(string),
                [$"{ProtocolSetting} '{other}' is not supported; use 'grpc' (port 4317) or 'http/protobuf' (port 4318)."]),
        };
        return new OtlpExport(uri, protocol, configuration.GetValue(MetricsIntervalSetting, TimeSpan.FromSeconds(15)));
    }

    /// <summary>Over HTTP each signal has its own path under the collector's base address; gRPC takes the address as is.</summary>
    public void Configure(OtlpExporterOptions options, string httpPath)
    {
        options.Protocol = Protocol;
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(Endpoint, httpPath) : Endpoint;
    }
}
