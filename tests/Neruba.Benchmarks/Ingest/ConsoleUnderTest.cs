using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace Neruba.Benchmarks.Ingest;

/// <summary>The real console as its own process, embedded mode, on a free loopback port and a fresh data folder.</summary>
public sealed class ConsoleUnderTest : IAsyncDisposable
{
    private readonly Process _process;

    private ConsoleUnderTest(Process process, Uri address, string folder)
    {
        _process = process;
        Address = address;
        Folder = folder;
    }

    public Uri Address { get; }

    /// <summary>CPU time the console process has used so far: per event, a figure other load on the machine barely moves.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Folder { get; }

    public string DatabaseFile => Path.Combine(Folder, "neruba.db");

    public long DatabaseBytes => Directory.GetFiles(Folder, "neruba.db*").Sum(f => new FileInfo(f).Length);

    /// <param name="folder">A data folder prepared beforehand (the console takes it over and deletes it at the end); a fresh one when null.</param>
    public static async Task<ConsoleUnderTest> StartAsync(string? folder = null)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "neruba-bench", Guid.NewGuid().ToString("N"));
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var address = new Uri($"http://127.0.0.1:{port}");
        var dll = LocateConsole();
        var info = new ProcessStartInfo("dotnet") { ArgumentList = { dll, "--urls", address.ToString().TrimEnd('/') }, WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Neruba__DataDirectory"] = folder;
        info.Environment["Neruba__Bootstrap__AdminPassword"] = "Benchmark-Password-1";
        // The benchmark brings its own customers and metric; the demo billing data would only be in the way.
        info.Environment["Neruba__DemoBilling"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("console: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address };
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return new ConsoleUnderTest(process, address, folder);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The console did not become ready.");
    }

    private static string LocateConsole()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Neruba.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "Neruba.Console", "bin", configuration, framework, "Neruba.Console.dll");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
