using System.Diagnostics;

namespace Taskee.Processes;

/// <summary>
/// A node started as its own process from the Release build, on a loopback port, with its settings given as
/// arguments. It can be killed (SIGKILL), paused (SIGSTOP) and resumed, stopped gracefully (SIGTERM) and
/// started again on the same port. Its output goes to a log file.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _logFile;
    private Process? _process;

    private NodeProcess(string name, int port, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        Name = name;
        Port = port;
        _settings = settings;
        _logFile = Path.Combine(logDirectory, $"{name}.log");
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;
    public string LogFile => _logFile;

    /// <param name="settings">Configuration keys and values, e.g. <c>Storage:Provider</c> = <c>postgres</c>.</param>
    public static async Task<NodeProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        var node = new NodeProcess(name, FreePort(), settings, logDirectory);
        await node.StartAsync();
        return node;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(_logFile)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(FindSilo());
        start.ArgumentList.Add($"--Urls={BaseAddress.ToString().TrimEnd('/')}");
        foreach (var (key, value) in _settings) start.ArgumentList.Add($"--{key}={value}");

        var log = new StreamWriter(_logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (log) log.Dispose(); };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (process.HasExited) throw new InvalidOperationException($"Node {Name} exited with code {process.ExitCode} while starting; see {_logFile}.");
            await Task.Delay(100);
        }
        throw new TimeoutException($"Node {Name} did not become ready within 60 s; see {_logFile}.");
    }

    /// <summary>kill -9: no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait: the node flushes, returns its leases and deregisters.</summary>
    public async Task TerminateAsync(TimeSpan? timeout = null)
    {
        if (_process is not { HasExited: false } process) return;
        await SignalAsync("TERM");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"Node {Name} did not stop within its grace period after SIGTERM; see {_logFile}.");
        }
    }

    public Task PauseAsync() => SignalAsync("STOP");

    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        if (Pid is not { } pid) return;
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()])!;
        await kill.WaitForExitAsync();
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

    public static int FreePort() => FreePorts.Next();

    public async ValueTask DisposeAsync()
    {
        await ResumeAsync();
        await KillAsync();
        _process?.Dispose();
    }
}
