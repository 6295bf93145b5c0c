using Microsoft.Extensions.Options;
using Taskee.Api.Auth;
using Taskee.Silo.Storage;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Storage;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("mysql", null, "Storage:Provider")]
    [InlineData("postgres", null, "Storage:ConnectionString")]
    [InlineData("sqlite", "this is not a connection string", "Storage:ConnectionString")]
    public void Bad_storage_settings_are_rejected_with_a_message_naming_the_setting(string provider, string? connectionString, string named)
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = provider, ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }

    [Fact]
    public void A_malformed_bootstrap_key_is_rejected_with_how_to_make_one()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { BootstrapAdminKey = "letmein" });

        Assert.True(result.Failed);
        Assert.Contains("tk_<id>_<secret>", result.FailureMessage);
    }

    [Theory]
    [InlineData("--Storage:Provider=oracle", "Storage:Provider")]
    [InlineData("--Auth:BootstrapAdminKey=letmein", "Auth:BootstrapAdminKey")]
    [InlineData("--Grains:IdleTimeout=00:00:00", "Grains:IdleTimeout")]
    [InlineData("--Grains:IdleTimeout=banana", "Grains:IdleTimeout")]
    [InlineData("--Otlp:Endpoint=not a url", "Otlp:Endpoint")]
    [InlineData("--Import:Parallelism=0", "Import:Parallelism must be between 1 and 64")]
    [InlineData("--Import:ClaimLease=00:00:01", "Import:ClaimLease")]
    [InlineData("--Metrics:Prometheus=yes", "Metrics:Prometheus")]
    [InlineData("--Metrics:PrometheusPort=9464", "Metrics:PrometheusPort")]
    [InlineData("--Auth:Jwt:Authority=http://idp.example", "RequireHttpsMetadata")]
    [InlineData("--Crm:Provider=hubspot", "Crm:BaseUrl is required for Crm:Provider=hubspot")]
    [InlineData("--Leads:PerIpPerHour=0", "Leads:PerIpPerHour")]
    [InlineData("--Privacy:OffboardingWindow=00:05:00", "Privacy:OffboardingWindow")]
    public async Task A_node_process_with_a_bad_setting_exits_with_code_2_and_names_the_setting(string argument, string named)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "Taskee.Silo.dll");
        var workingDirectory = Directory.CreateTempSubdirectory("taskee-config-").FullName;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [silo, argument, "--Urls=http://127.0.0.1:0"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Configuration error", await stderr);
        Assert.Contains(named, await stderr);
    }

    [Theory]
    [InlineData("Quota:LeaseTtl", "00:00:05")]
    [InlineData("Billing:Stripe:RetryBaseDelay", "00:00:00.500")]
    public async Task A_node_given_a_setting_that_lost_its_meaning_starts_and_warns_naming_it(string setting, string value)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "Taskee.Silo.dll");
        var directory = Directory.CreateTempSubdirectory("taskee-obsolete-").FullName;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet",
        [
            silo, $"--{setting}={value}", "--Urls=http://127.0.0.1:0", $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "t.db")}",
            "--Orleans:SiloPort=" + TaskeeNode.FreePort(), "--Orleans:GatewayPort=" + TaskeeNode.FreePort(), "--Logging:LogLevel:Default=Warning",
        ]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            do line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            while (line is not null && !line.Contains(setting, StringComparison.Ordinal));

            Assert.NotNull(line);
            Assert.Contains("no meaning", (line + await process.StandardOutput.ReadLineAsync(timeout.Token)), StringComparison.Ordinal);
            Assert.False(process.HasExited, "the node must start all the same");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task The_node_started_from_another_directory_on_a_new_database_reads_its_settings_and_logs_no_error_and_no_line_per_request()
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "Taskee.Silo.dll");
        var directory = Directory.CreateTempSubdirectory("taskee-elsewhere-").FullName;
        var port = TaskeeNode.FreePort();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet",
        [
            silo, $"--Urls=http://127.0.0.1:{port}", $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "t.db")}",
            "--Orleans:SiloPort=" + TaskeeNode.FreePort(), "--Orleans:GatewayPort=" + TaskeeNode.FreePort(),
        ]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                Assert.True(DateTime.UtcNow < deadline, $"the node did not become ready: {output}");
                await Task.Delay(200);
            }
            for (var i = 0; i < 20; i++) await client.GetAsync("/health/live");
            await Task.Delay(500);

            string log;
            lock (output) log = output.ToString();
            Assert.Contains("Silo ready", log); // Information of our own categories (appsettings.json) is there
            Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal);
            Assert.DoesNotContain("Request finished", log, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", log, StringComparison.Ordinal); // nothing reads storage before it is migrated
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
