using Neruba.Console;
using Neruba.Console.Configuration;
using Neruba.Infrastructure;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Startup;

// Neruba console: read top to bottom, this is the whole composition of the app.
var options = NerubaCommandLine.Parse(args);
if (options.Command is not null)
{
    // An operator command (migrate, create-api-key, …): the same configuration, no web server.
    return await Neruba.Console.Operations.CommandLine.OperatorCommandLine.RunAsync(options, Console.Out, Console.Error);
}

try
{
    var builder = WebApplication.CreateBuilder(options.HostArgs);
    builder.Configuration.UseNerubaConfigurationFile();
    builder.WebHost.UseStaticWebAssets();

    builder.Services.AddNerubaInfrastructure(builder.Configuration);
    builder.Services.AddNerubaConsole(builder.Configuration);

    var app = builder.Build();
    await app.Services.GetRequiredService<NerubaInitializer>().InitializeAsync(options.SeedDemo);

    app.UseNerubaConsole();
    await app.RunAsync();
    return 0;
}
catch (NerubaConfigurationException exception)
{
    // Bad configuration stops the app with one sentence that names the key, not a stack trace.
    await Console.Error.WriteLineAsync($"Neruba cannot start: {exception.Message}");
    return 1;
}

/// <summary>Visible to the test projects' WebApplicationFactory.</summary>
public partial class Program;
