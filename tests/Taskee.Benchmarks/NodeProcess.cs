using System.Diagnostics;
using System.Net.Sockets;

namespace Taskee.Benchmarks;

/// <summary>A node started as its own process (Release build) on a free loopback port and a temp SQLite file.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NodeProcess(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<NodeProcess> StartAsync(string adminKey)
    {
        var silo = FindSilo();
        var directory = Directory.CreateTempSubdirectory("taskee-load-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            silo, $"--Urls=http://127.0.0.1:{port}", $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "load.db")}",
            $"--Auth:BootstrapAdminKey={adminKey}", "--Bench:BareEndpoint=true", "--Logging:LogLevel:Default=Warning",
        }) start.ArgumentList.Add(arg);

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[node] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var node = new NodeProcess(process, directory, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (process.HasExited) throw new InvalidOperationException($"The node exited with code {process.ExitCode} while starting.");
            await Task.Delay(100);
        }
        await node.DisposeAsync();
        throw new TimeoutException("The node did not become ready within 30 s.");
    }

    private static string FindSilo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "silo", "bin", "Release", "net10.0", "Taskee.Silo.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("silo/bin/Release/net10.0/Taskee.Silo.dll not found; run: dotnet build -c Release");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { /* temp folder */ }
    }
}
