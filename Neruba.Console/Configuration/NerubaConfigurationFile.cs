using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Neruba.Console.Configuration;

public static class NerubaConfigurationFile
{
    /// <summary>
    /// The one configuration file is the repository root's appsettings.json, copied next to the app's
    /// assembly. It is read first, so environment variables (<c>Neruba__Database__Provider</c>) and
    /// command-line arguments still override it.
    /// </summary>
    public static IConfigurationBuilder UseNerubaConfigurationFile(this IConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var contentRootFiles = configuration.Sources.OfType<JsonConfigurationSource>().ToList();
        foreach (var source in contentRootFiles)
        {
            configuration.Sources.Remove(source);
        }

        var fileSource = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        fileSource.ResolveFileProvider();
        configuration.Sources.Insert(0, fileSource);
        return configuration;
    }
}
