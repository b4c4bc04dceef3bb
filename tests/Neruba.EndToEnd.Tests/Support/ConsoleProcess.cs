using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Neruba.Tests.Shared;

namespace Neruba.EndToEnd.Tests.Support;

/// <summary>
/// The real console, started as its own process from the build output on a free 127.0.0.1 port
/// with a temporary data folder, exactly as `dotnet run` would run it.
/// </summary>
public sealed class ConsoleProcess : IAsyncDisposable
{
    public const string AdminEmail = "admin@example.test";
    public const string AdminPassword = "Correct-Horse-42!";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly DateTimeOffset? _clockStart;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private bool _keepData;

    private ConsoleProcess(Process process, Uri baseAddress, string dataDirectory, DateTimeOffset? clockStart)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _clockStart = clockStart;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <summary>
    /// "Now" as the console sees it, within the second or two it takes to start: the real time, or with
    /// NERUBA_TEST_CLOCK the console's shifted clock. Tests derive "last month" and "five minutes ago" from this.
    /// </summary>
    public DateTimeOffset Now => _clockStart is { } start ? start + _sinceStart.Elapsed : DateTimeOffset.UtcNow;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the console on a new data folder, its clock at NERUBA_TEST_CLOCK when that is set.</summary>
    public static Task<ConsoleProcess> StartAsync(IDictionary<string, string>? environment = null) =>
        StartAsync(environment, Path.Combine(Path.GetTempPath(), "neruba-e2e", Guid.NewGuid().ToString("N")), HarnessClock.Start);

    /// <summary>
    /// Starts another console on the data of <paramref name="other"/> (one a killed console left behind, or a second node beside a
    /// running one), its clock in step with that one's.
    /// </summary>
    public static Task<ConsoleProcess> StartOnSameDataAsync(ConsoleProcess other, IDictionary<string, string>? environment = null) =>
        StartAsync(environment, other.DataDirectory, other._clockStart is null ? null : other.Now);

    private static async Task<ConsoleProcess> StartAsync(IDictionary<string, string>? environment, string dataDirectory, DateTimeOffset? clockStart)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = StartInfo(environment, dataDirectory, baseAddress, clockStart);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var console = new ConsoleProcess(process, baseAddress, dataDirectory, clockStart);
        process.OutputDataReceived += (_, e) => console.Append(e.Data);
        process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await console.WaitUntilReadyAsync();
        return console;
    }

    /// <summary>Runs the console until it exits by itself (used for configuration that must stop it).</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IDictionary<string, string> environment)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "neruba-e2e", Guid.NewGuid().ToString("N"));
        using var process = new Process { StartInfo = StartInfo(environment, dataDirectory, new Uri($"http://127.0.0.1:{FreePort()}"), HarnessClock.Start) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(IDictionary<string, string>? environment, string dataDirectory, Uri baseAddress, DateTimeOffset? clockStart)
    {
        var consoleDll = LocateConsoleAssembly();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { consoleDll, "--urls", baseAddress.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(consoleDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Neruba__DataDirectory"] = dataDirectory;
        info.Environment["Neruba__Bootstrap__AdminEmail"] = AdminEmail;
        info.Environment["Neruba__Bootstrap__AdminPassword"] = AdminPassword;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        // Journeys start their own runs; a scheduled one landing mid-test would only race them.
        info.Environment["Neruba__BillingSchedule"] = "";
        if (clockStart is { } start)
        {
            info.Environment["Neruba__Testing__ClockStartUtc"] = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The console exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The console did not become ready within 90 seconds:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The console's build output for the same configuration as this test assembly (Debug or Release).</summary>
    private static string LocateConsoleAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Neruba.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"Neruba.sln not found above {AppContext.BaseDirectory}.");
        }

        var dll = Path.Combine(root.FullName, "Neruba.Console", "bin", configuration, framework, "Neruba.Console.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the console first (dotnet build).", dll);
    }

    /// <summary>Kills the process at once, as a crash or an OOM kill would, and leaves its data folder for a restart.</summary>
    public async Task KillAsync()
    {
        _keepData = true;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_keepData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
