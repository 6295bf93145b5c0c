using System.Diagnostics;
using System.Text;

namespace Taskee.Tests.Infrastructure;

/// <summary>
/// The published silo started as its own process, from a temporary working directory, with what only Program composes
/// (telemetry, extra listen ports). Ready when <c>/health/ready</c> answers; killed on dispose.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Client(int? port = null) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port ?? Port}") };

    public static async Task<SiloProcess> StartAsync(TestDatabase database, params string[] settings)
    {
        var port = TaskeeNode.FreePort();
        var start = new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "Taskee.Silo.dll"), $"--Urls=http://127.0.0.1:{port}",
            $"--Storage:Provider={database.Provider}", $"--Storage:ConnectionString={database.ConnectionString}",
            $"--Auth:BootstrapAdminKey={TaskeeNode.AdminKey}", $"--Orleans:SiloPort={TaskeeNode.FreePort()}", $"--Orleans:GatewayPort={TaskeeNode.FreePort()}",
            .. settings,
        ])
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("taskee-silo-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var silo = new SiloProcess(Process.Start(start)!, port);
        using var client = silo.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !silo._process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) return silo;
            }
            catch (HttpRequestException)
            {
                // still starting
            }
            await Task.Delay(200);
        }
        var output = silo.Output;
        await silo.DisposeAsync();
        throw new InvalidOperationException($"The silo process did not become ready:\n{output}");
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }


    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
